package io.docpipe.onnx;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * How the in-process ONNX embedding model runs: which {@code model} (its ONNX export and tokenizer
 * from the classpath), at most {@code maxBatchSize} texts per inference run (1..256; fewer when the
 * texts are long, see {@link OnnxEmbeddingModel}) and {@code threads} single-threaded runs side by
 * side for one call (at least 1).
 */
public record OnnxSettings(int maxBatchSize, int threads, Model model) {

  /** Texts per inference run unless configured otherwise. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 32;

  /** Largest allowed batch: beyond it padding and memory grow with no gain on a CPU. */
  public static final int MAX_BATCH_SIZE = 256;

  /**
   * The models docpipe ships, each an ONNX export and its tokenizer from one of LangChain4j's Maven
   * artifacts (the files only, none of its code). Both are 384-dimensional BERT encoders with 256
   * positions, mean pooling and L2 normalisation, and no query or passage prefix; their model ids
   * differ, so an index records which one wrote it.
   */
  public enum Model {
    /** sentence-transformers/all-MiniLM-L6-v2 in fp32: the default. */
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-MiniLM-L6-v2"),
    /**
     * Its int8-quantized export: a quarter of the file, faster on a CPU. Its activations are
     * quantized dynamically, with one scale over the whole input tensor, so a text's vector would
     * depend on the other texts of its batch (measured: components off by up to 0.02); docpipe runs
     * it one text per inference run, so a text always gets the same vector.
     */
    ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "all-MiniLM-L6-v2-q");

    private final String label;
    private final String displayName;

    Model(String label, String displayName) {
      this.label = label;
      this.displayName = displayName;
    }

    /** The name {@code DOCPIPE_ONNX_MODEL} takes, e.g. {@code all-minilm-l6-v2-q}. */
    public String label() {
      return label;
    }

    String displayName() {
      return displayName;
    }

    /** Whether a text's vector depends on the other texts of its inference run. */
    boolean batchDependent() {
      return this == ALL_MINILM_L6_V2_Q;
    }

    String modelResource() {
      return label + ".onnx";
    }

    String tokenizerResource() {
      return label + "-tokenizer.json";
    }

    /** The model named {@code label} (any case). */
    public static Model parse(String label) {
      Objects.requireNonNull(label, "label");
      for (Model m : values()) {
        if (m.label.equals(label.strip().toLowerCase(Locale.ROOT))) {
          return m;
        }
      }
      throw new IllegalArgumentException(
          "ONNX model must be one of "
              + Arrays.stream(values()).map(Model::label).toList()
              + ", got '"
              + label
              + "'");
    }
  }

  public OnnxSettings {
    Objects.requireNonNull(model, "model");
    if (maxBatchSize < 1 || maxBatchSize > MAX_BATCH_SIZE) {
      throw new IllegalArgumentException(
          "maxBatchSize must be between 1 and " + MAX_BATCH_SIZE + ", was " + maxBatchSize);
    }
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, was " + threads);
    }
  }

  /** The default model, all-MiniLM-L6-v2. */
  public OnnxSettings(int maxBatchSize, int threads) {
    this(maxBatchSize, threads, Model.ALL_MINILM_L6_V2);
  }

  /** Batches of up to {@value #DEFAULT_MAX_BATCH_SIZE}, one thread per available processor. */
  public static OnnxSettings defaults() {
    return new OnnxSettings(DEFAULT_MAX_BATCH_SIZE, Runtime.getRuntime().availableProcessors());
  }

  public OnnxSettings withMaxBatchSize(int maxBatchSize) {
    return new OnnxSettings(maxBatchSize, threads, model);
  }

  public OnnxSettings withThreads(int threads) {
    return new OnnxSettings(maxBatchSize, threads, model);
  }

  public OnnxSettings withModel(Model model) {
    return new OnnxSettings(maxBatchSize, threads, model);
  }
}
