package io.docpipe.s3;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** Fetches any {@code s3://bucket/key} the client's credentials can read, under a size cap. */
class S3Objects implements DocumentSource {

  static final String PATH_KEY = "path";
  static final String EXT_KEY = "ext";
  static final String ETAG_KEY = "etag";

  private final S3Client s3;

  S3Objects(S3Client s3) {
    this.s3 = s3;
  }

  /** Where {@code ref} points, or {@code INVALID_INPUT}. Subclasses narrow what they accept. */
  S3Location locate(DocumentRef ref) throws SourceException {
    try {
      return S3Location.parse(ref.location());
    } catch (IllegalArgumentException e) {
      throw new SourceException(
          FailureReason.INVALID_INPUT, e.getMessage() + " (" + ref.id() + ")", e);
    }
  }

  @Override
  public Document fetch(DocumentRef ref, long maxBytes) throws SourceException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
    }
    S3Location location = locate(ref);
    if (location.key().isEmpty() || location.key().endsWith("/")) {
      throw new SourceException(FailureReason.INVALID_INPUT, location + " names no object");
    }
    Long hint = ref.sizeHint();
    if (hint != null && hint > maxBytes) {
      throw tooLarge(location, hint, maxBytes);
    }
    if (maxBytes == 0) {
      return withoutContent(ref, location);
    }
    GetObjectRequest request =
        GetObjectRequest.builder().bucket(location.bucket()).key(location.key()).build();
    try (ResponseInputStream<GetObjectResponse> object = s3.getObject(request)) {
      GetObjectResponse response = object.response();
      Long length = response.contentLength();
      if (length != null && length > maxBytes) {
        object.abort(); // drop the connection rather than drain a large body
        throw tooLarge(location, length, maxBytes);
      }
      byte[] bytes = readAtMost(object, maxBytes);
      if (bytes == null) {
        object.abort();
        throw new SourceException(
            FailureReason.TOO_LARGE,
            location + " is larger than the limit of " + maxBytes + " bytes");
      }
      Map<String, String> metadata = new HashMap<>(Keys.metadata(idOf(ref), response.eTag()));
      metadata.putAll(ref.metadata());
      return new Document(
          ref.id(),
          ref.location(),
          mediaType(response.contentType(), location.key()),
          metadata,
          Content.adopt(bytes));
    } catch (SdkException e) {
      throw translate(location, e);
    } catch (IOException | UncheckedIOException e) {
      throw new SourceException(
          FailureReason.SOURCE_UNAVAILABLE, "reading " + location + " failed: " + e, e);
    }
  }

  /**
   * A fetch of at most 0 bytes (what the recheck after a write asks, ADR 0027) is a HEAD: an object
   * with content answers TOO_LARGE, an empty one the empty document, a missing one NOT_FOUND. A GET
   * would open the body only to abort it, and an aborted body closes its pooled connection.
   */
  private Document withoutContent(DocumentRef ref, S3Location location) throws SourceException {
    HeadObjectResponse head;
    try {
      head = s3.headObject(b -> b.bucket(location.bucket()).key(location.key()));
    } catch (SdkException e) {
      throw translate(location, e);
    }
    Long length = head.contentLength();
    if (length == null || length > 0) {
      throw new SourceException(
          FailureReason.TOO_LARGE,
          location
              + " has "
              + (length == null ? "content" : length + " bytes")
              + "; the limit is 0");
    }
    Map<String, String> metadata = new HashMap<>(Keys.metadata(idOf(ref), head.eTag()));
    metadata.putAll(ref.metadata());
    return new Document(
        ref.id(),
        ref.location(),
        mediaType(head.contentType(), location.key()),
        metadata,
        Content.adopt(new byte[0]));
  }

  private static SourceException translate(S3Location location, SdkException e) {
    if (e instanceof NoSuchKeyException || e instanceof NoSuchBucketException) {
      return new SourceException(FailureReason.NOT_FOUND, location + " does not exist", e);
    }
    if (e instanceof S3Exception s3) {
      return failure(location, s3);
    }
    if (e instanceof SdkClientException) {
      return new SourceException(
          FailureReason.SOURCE_UNAVAILABLE, "cannot reach S3 for " + location + ": " + e, e);
    }
    return new SourceException(
        FailureReason.SOURCE_UNAVAILABLE, "S3 failed for " + location + ": " + e, e);
  }

  /** The path metadata of a fetched object: the ref's id. */
  private static String idOf(DocumentRef ref) {
    return ref.id().value();
  }

  static SourceException failure(S3Location location, S3Exception e) {
    int status = e.statusCode();
    String code = e.awsErrorDetails() == null ? null : e.awsErrorDetails().errorCode();
    String what = location + ": S3 answered " + status + (code == null ? "" : " " + code);
    if (status == 404) {
      return new SourceException(FailureReason.NOT_FOUND, what, e);
    }
    if (status == 403
        || status == 408
        || status == 429
        || status >= 500
        || e.isThrottlingException()) {
      return new SourceException(FailureReason.SOURCE_UNAVAILABLE, what, e);
    }
    return new SourceException(FailureReason.INVALID_INPUT, what, e);
  }

  private static SourceException tooLarge(S3Location location, long size, long maxBytes) {
    return new SourceException(
        FailureReason.TOO_LARGE, location + " has " + size + " bytes; the limit is " + maxBytes);
  }

  /** All bytes, or {@code null} when there are more than {@code maxBytes}. */
  static byte @Nullable [] readAtMost(InputStream in, long maxBytes) throws IOException {
    int cap = (int) Math.min(maxBytes, Integer.MAX_VALUE - 16);
    byte[] bytes = in.readNBytes(cap);
    if (bytes.length == cap && in.read() >= 0) {
      return null;
    }
    return bytes;
  }

  static String mediaType(@Nullable String contentType, String key) {
    if (contentType != null && !contentType.isBlank()) {
      String essence = MediaTypes.essence(contentType);
      if (!essence.isEmpty()
          && !essence.equals(MediaTypes.OCTET_STREAM)
          && !essence.equals("binary/octet-stream")) {
        return essence;
      }
    }
    String ext = Keys.extension(key);
    return switch (ext == null ? "" : ext.toLowerCase(Locale.ROOT)) {
      case "", "txt", "text", "log" -> MediaTypes.TEXT_PLAIN;
      case "md", "markdown" -> MediaTypes.MARKDOWN;
      case "html", "htm" -> MediaTypes.HTML;
      case "pdf" -> "application/pdf";
      default -> MediaTypes.OCTET_STREAM;
    };
  }
}
