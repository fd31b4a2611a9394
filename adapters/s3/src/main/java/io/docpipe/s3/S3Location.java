package io.docpipe.s3;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * A bucket and a key (or key prefix), and its {@code s3://bucket/key} URI. The key is the URI's
 * decoded path without the leading slash, so any key can be written and read back.
 */
record S3Location(String bucket, String key) {

  S3Location {
    Objects.requireNonNull(bucket, "bucket");
    Objects.requireNonNull(key, "key");
    if (!bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
      throw new IllegalArgumentException("not an S3 bucket name: '" + bucket + "'");
    }
  }

  /**
   * Parses {@code s3://bucket/key}.
   *
   * @throws IllegalArgumentException when {@code uri} is not such a URI
   */
  static S3Location parse(URI uri) {
    if (!"s3".equalsIgnoreCase(uri.getScheme())) {
      throw new IllegalArgumentException("not an s3:// URI: " + uri);
    }
    String bucket = uri.getRawAuthority();
    if (bucket == null || uri.getRawUserInfo() != null || uri.getPort() != -1) {
      throw new IllegalArgumentException("an s3:// URI names a bucket as its host: " + uri);
    }
    if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
      throw new IllegalArgumentException("an s3:// URI has no query or fragment: " + uri);
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    return new S3Location(bucket, path.startsWith("/") ? path.substring(1) : path);
  }

  URI uri() {
    try {
      return new URI("s3", bucket, "/" + key, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("cannot make a URI of s3://" + bucket + "/" + key, e);
    }
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
