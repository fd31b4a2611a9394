package io.docpipe.api.json;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One document to index: its id and either its {@code text} (with an optional {@code mediaType},
 * default {@code text/plain}) or a {@code uri} the service fetches; {@code metadata} travels with
 * every chunk and can be filtered on.
 */
public record DocumentBody(
    @Nullable String id,
    @Nullable String text,
    @Nullable String uri,
    @Nullable String mediaType,
    @Nullable Map<String, String> metadata) {

  public static DocumentBody text(String id, String text) {
    return new DocumentBody(id, text, null, null, null);
  }
}
