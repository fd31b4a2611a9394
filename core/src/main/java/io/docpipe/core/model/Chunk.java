package io.docpipe.core.model;

import java.util.Objects;

/**
 * A piece of a document's extracted text small enough for the embedding model: its position ({@code
 * index}), its text, and the half-open char span {@code [start, end)} it was cut from.
 */
public record Chunk(DocumentId documentId, int index, String text, int start, int end, int tokens) {

  public Chunk {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(text, "text");
    if (index < 0 || start < 0 || end < start || tokens < 0) {
      throw new IllegalArgumentException(
          "bad chunk: index=%d span=[%d,%d) tokens=%d".formatted(index, start, end, tokens));
    }
    if (text.length() != end - start) {
      throw new IllegalArgumentException(
          "chunk text is %d chars but its span [%d,%d) is %d"
              .formatted(text.length(), start, end, end - start));
    }
  }

  public PointId pointId() {
    return PointId.of(documentId, index);
  }
}
