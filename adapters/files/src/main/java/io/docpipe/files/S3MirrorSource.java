package io.docpipe.files;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A local stand-in for an S3 source: {@code s3://bucket/key} is served from {@code
 * <root>/<bucket>/<key>}, with the same limits, media types and failure reasons as a {@link
 * DirectoryCorpus}. For tests and local runs of the event handlers until the real S3 adapter
 * exists; it never talks to S3.
 */
final class S3MirrorSource implements DocumentSource {

  /** S3's bucket naming rules (lower-case letters, digits, dots, hyphens; 3–63 chars). */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private final Path root;

  S3MirrorSource(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  @Override
  public Document fetch(DocumentRef ref, long maxBytes) throws SourceException {
    URI location = ref.location();
    if (!"s3".equalsIgnoreCase(location.getScheme())) {
      throw new SourceException(
          FailureReason.INVALID_INPUT,
          "the S3 mirror reads s3:// URIs only, not " + location + " (" + ref.id() + ")");
    }
    String bucket = location.getHost();
    String path = location.getPath();
    if (bucket == null || !BUCKET.matcher(bucket).matches()) {
      throw new SourceException(
          FailureReason.INVALID_INPUT, "not a valid S3 bucket name in " + location);
    }
    if (path == null || path.length() < 2 || !path.startsWith("/")) {
      throw new SourceException(FailureReason.INVALID_INPUT, "no object key in " + location);
    }
    String key = path.substring(1);
    Path bucketRoot = root.resolve(bucket);
    Path file;
    try {
      file = bucketRoot.resolve(key).normalize();
    } catch (InvalidPathException e) {
      throw new SourceException(
          FailureReason.INVALID_INPUT, "key cannot be mirrored as a local path: " + location, e);
    }
    if (!file.startsWith(bucketRoot) || file.equals(bucketRoot)) {
      throw new SourceException(
          FailureReason.INVALID_INPUT, "key leads outside its bucket in the mirror: " + location);
    }
    Document local =
        new DirectoryCorpus(bucketRoot)
            .fetch(
                new DocumentRef(ref.id(), file.toUri(), ref.metadata(), ref.sizeHint()), maxBytes);
    Map<String, String> metadata = new HashMap<>(local.metadata());
    metadata.put(FileTypes.PATH_KEY, key);
    metadata.putAll(ref.metadata());
    return new Document(ref.id(), location, local.mediaType(), metadata, local.content());
  }

  @Override
  public String toString() {
    return "S3MirrorSource[" + root + "]";
  }
}
