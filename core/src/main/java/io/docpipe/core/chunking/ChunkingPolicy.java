package io.docpipe.core.chunking;

import java.util.Objects;

/**
 * How documents are cut into chunks: at most {@code maxTokens} tokens each, consecutive chunks
 * sharing up to {@code overlapTokens} tokens. {@link Mode#TRUNCATE} keeps only the first chunk of
 * each document (the protocol of published retrieval benchmarks).
 */
public record ChunkingPolicy(int maxTokens, int overlapTokens, Mode mode) {

  /** Default chunk size in tokens; capped to the model's limit. */
  public static final int DEFAULT_MAX_TOKENS = 256;

  public static final int DEFAULT_OVERLAP_TOKENS = 32;

  /** Whether a document may become many chunks or only its first one. */
  public enum Mode {
    SPLIT,
    TRUNCATE
  }

  public ChunkingPolicy {
    Objects.requireNonNull(mode, "mode");
    if (maxTokens < 8) {
      throw new IllegalArgumentException("chunk size must be at least 8 tokens: " + maxTokens);
    }
    if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
      throw new IllegalArgumentException(
          "chunk overlap must be in [0, maxTokens/2 = " + maxTokens / 2 + "]: " + overlapTokens);
    }
  }

  public static ChunkingPolicy defaults() {
    return new ChunkingPolicy(DEFAULT_MAX_TOKENS, DEFAULT_OVERLAP_TOKENS, Mode.SPLIT);
  }

  /** This policy with its chunk size capped to {@code limit} (and the overlap kept legal). */
  public ChunkingPolicy cappedTo(int limit) {
    if (maxTokens <= limit) {
      return this;
    }
    return new ChunkingPolicy(limit, Math.min(overlapTokens, limit / 2), mode);
  }
}
