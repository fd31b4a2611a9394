package io.docpipe.onnx;

/**
 * How the in-process ONNX embedding model runs: at most {@code maxBatchSize} texts per inference
 * run (1..256; fewer when the texts are long, see {@link OnnxEmbeddingModel}) and {@code threads}
 * single-threaded runs side by side for one call (at least 1).
 */
public record OnnxSettings(int maxBatchSize, int threads) {

  /** Texts per inference run unless configured otherwise. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 32;

  /** Largest allowed batch: beyond it padding and memory grow with no gain on a CPU. */
  public static final int MAX_BATCH_SIZE = 256;

  public OnnxSettings {
    if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "maxBatchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + maxBatchSize);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
  }

  /** Batches of up to {@value #DEFAULT_MAX_BATCH_SIZE}, one thread per available processor. */
  public static OnnxSettings defaults() {
    return new OnnxSettings(DEFAULT_MAX_BATCH_SIZE, Runtime.getRuntime().availableProcessors());
  }

  public OnnxSettings withMaxBatchSize(int maxBatchSize) {
    return new OnnxSettings(maxBatchSize, threads);
  }

  public OnnxSettings withThreads(int threads) {
    return new OnnxSettings(maxBatchSize, threads);
  }
}
