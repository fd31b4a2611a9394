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

  // The stored field names of a payload, shared by every vector store so that an index written by
  // one adapter reads the same in another's terms (and in docs, filters and tools).

  /** Field holding {@link #documentId()}. */
  public static final String DOC_ID = "doc_id";

  /** Field holding {@link #documentHash()} in hex. */
  public static final String DOC_HASH = "doc_hash";

  /** Field holding {@link #chunkIndex()}. */
  public static final String CHUNK_INDEX = "chunk_index";

  /** Field holding {@link #text()}. */
  public static final String TEXT = "text";

  /** Field holding {@link #start()}. */
  public static final String START = "start";

  /** Field holding {@link #end()}. */
  public static final String END = "end";

  /** Field holding {@link #source()}. */
  public static final String SOURCE = "source";

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
