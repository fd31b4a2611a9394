package io.docpipe.core.service;

import io.docpipe.core.chunking.ChunkingPolicy;
import java.util.Objects;

/**
 * Limits and batching of ingestion. Each exceeded limit fails that one document as {@code
 * TOO_LARGE}; nothing is ever read or held beyond them.
 *
 * @param maxDocumentBytes bytes read from a source per document
 * @param maxTextChars chars of extracted text per document
 * @param maxChunksPerDocument chunks per document
 * @param embeddingBatchSize documents per window and chunk texts per call to the embedding model; a
 *     stop request is asked before each call, so this bounds how much work is in flight when a stop
 *     is requested
 */
public record IngestSettings(
    ChunkingPolicy chunking,
    long maxDocumentBytes,
    int maxTextChars,
    int maxChunksPerDocument,
    int embeddingBatchSize) {

  public static final long DEFAULT_MAX_DOCUMENT_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_TEXT_CHARS = 16 * 1024 * 1024;
  public static final int DEFAULT_MAX_CHUNKS_PER_DOCUMENT = 20_000;
  public static final int DEFAULT_EMBEDDING_BATCH_SIZE = 64;

  public IngestSettings {
    Objects.requireNonNull(chunking, "chunking");
    if (maxDocumentBytes < 1) {
      throw new IllegalArgumentException("max document bytes must be >= 1: " + maxDocumentBytes);
    }
    if (maxTextChars < 1) {
      throw new IllegalArgumentException("max text chars must be >= 1: " + maxTextChars);
    }
    if (maxChunksPerDocument < 1) {
      throw new IllegalArgumentException(
          "max chunks per document must be >= 1: " + maxChunksPerDocument);
    }
    if (embeddingBatchSize < 1 || embeddingBatchSize > 4096) {
      throw new IllegalArgumentException(
          "embedding batch size must be in [1, 4096]: " + embeddingBatchSize);
    }
  }

  public static IngestSettings defaults() {
    return new IngestSettings(
        ChunkingPolicy.defaults(),
        DEFAULT_MAX_DOCUMENT_BYTES,
        DEFAULT_MAX_TEXT_CHARS,
        DEFAULT_MAX_CHUNKS_PER_DOCUMENT,
        DEFAULT_EMBEDDING_BATCH_SIZE);
  }

  public IngestSettings withChunking(ChunkingPolicy newChunking) {
    return new IngestSettings(
        newChunking, maxDocumentBytes, maxTextChars, maxChunksPerDocument, embeddingBatchSize);
  }
}
