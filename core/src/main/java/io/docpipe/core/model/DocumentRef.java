package io.docpipe.core.model;

import java.net.URI;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a document can be fetched from, as a corpus listing or an event names it: its id, its
 * location, the metadata known before fetching, and an optional size in bytes when the listing
 * knows it (so oversized documents can be refused without reading them).
 */
public record DocumentRef(
    DocumentId id, URI location, Map<String, String> metadata, @Nullable Long sizeHint) {

  public DocumentRef {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(location, "location");
    metadata = Metadata.copyOf(metadata);
    if (sizeHint != null && sizeHint < 0) {
      throw new IllegalArgumentException("size hint must be >= 0: " + sizeHint);
    }
  }

  public static DocumentRef of(DocumentId id, URI location) {
    return new DocumentRef(id, location, Map.of(), null);
  }
}
