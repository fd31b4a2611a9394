package io.docpipe.core.model;

import java.util.Map;
import java.util.Objects;

/**
 * What is stored beside each vector: the document it came from ({@code doc_id}, {@code doc_hash},
 * {@code source}), where in it ({@code chunk_index}, span) and the chunk's text and metadata.
 */
public record PointPayload(
    DocumentId documentId,
    ContentHash documentHash,
    int chunkIndex,
    String text,
    int start,
    int end,
    String source,
    Map<String, String> metadata) {

  public PointPayload {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(documentHash, "documentHash");
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    metadata = Metadata.copyOf(metadata);
    if (chunkIndex < 0 || start < 0 || end < start) {
      throw new IllegalArgumentException(
          "bad payload position: chunk %d span [%d,%d)".formatted(chunkIndex, start, end));
    }
  }

  /** The id of the point this payload belongs to. */
  public PointId pointId() {
    return PointId.of(documentId, chunkIndex);
  }
}
