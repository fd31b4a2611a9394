package io.docpipe.s3;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What a key tells about a document: its extension and the metadata a ref carries. */
final class Keys {

  private Keys() {}

  /** The lower-case extension of the key's last segment, or {@code null}. */
  static @Nullable String extension(String key) {
    String name = key.substring(key.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    if (dot <= 0 || dot == name.length() - 1) {
      return null;
    }
    return name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  /** {@code path} (the id), {@code ext} when there is one, {@code etag} when known. */
  static Map<String, String> metadata(String id, @Nullable String etag) {
    Map<String, String> metadata = new HashMap<>();
    metadata.put(S3Objects.PATH_KEY, id);
    String ext = extension(id);
    if (ext != null && ext.length() <= 64) {
      metadata.put(S3Objects.EXT_KEY, ext);
    }
    if (etag != null && !etag.isEmpty() && etag.length() <= 2048) {
      metadata.put(S3Objects.ETAG_KEY, etag);
    }
    return metadata;
  }
}
