package io.docpipe.wiring;

import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.service.IngestSettings;
import io.docpipe.kubernetes.JobRef;
import io.docpipe.kubernetes.KubernetesSettings;
import io.docpipe.onnx.OnnxSettings;
import io.docpipe.openai.OpenAiSettings;
import io.docpipe.qdrant.QdrantSettings;
import io.docpipe.tika.TikaSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * docpipe's configuration, validated as a whole. Read it with {@link #fromEnvironment(Map)}; every
 * variable, its default and what it allows is listed in {@code docs/configuration.md}.
 *
 * @param indexDir where the embedded index and local checkpoints live ({@code DOCPIPE_INDEX_DIR})
 * @param embedding which embedding model serves ({@code DOCPIPE_EMBEDDING})
 * @param vectorStore which vector store serves ({@code DOCPIPE_VECTOR_STORE})
 * @param luceneMergeWhenQuiet how long the embedded index waits after its last write before it
 *     merges into one segment ({@code DOCPIPE_LUCENE_MERGE_WHEN_QUIET}); zero: never (ADR 0036)
 * @param onnx the in-process model's settings: threads one call embeds on, one inference run each
 *     ({@code DOCPIPE_ONNX_THREADS}), most texts per inference run ({@code
 *     DOCPIPE_ONNX_BATCH_SIZE}) and which model ({@code DOCPIPE_ONNX_MODEL})
 * @param ingest chunking, limits and batching ({@code DOCPIPE_CHUNK_*}, {@code DOCPIPE_MAX_*},
 *     {@code DOCPIPE_EMBEDDING_BATCH_SIZE})
 * @param checkpointDir where shard checkpoints are kept for local runs ({@code
 *     DOCPIPE_CHECKPOINT_DIR})
 * @param openAi the OpenAI adapter's settings ({@code DOCPIPE_OPENAI_*}), when {@code embedding} is
 *     {@code OPENAI}; its key never shows in {@code toString()}
 * @param qdrant the Qdrant adapter's settings ({@code DOCPIPE_QDRANT_*}), when {@code vectorStore}
 *     is {@code QDRANT}; its key never shows in {@code toString()}
 * @param s3MirrorDir a local directory standing in for S3 ({@code DOCPIPE_S3_MIRROR_DIR}): {@code
 *     s3://bucket/key} is read from {@code <dir>/<bucket>/<key>}; for tests and local runs only
 * @param sources S3 and URL sources ({@code DOCPIPE_S3_*}, {@code DOCPIPE_HTTP_SOURCE_*})
 * @param kubernetes where shard checkpoints are kept on Kubernetes ({@code
 *     DOCPIPE_CHECKPOINT_STORE=configmap}, {@code DOCPIPE_K8S_*}); absent: files in {@code
 *     checkpointDir}
 * @param tika the Tika Server that extracts PDF, Office and HTML text beside the process ({@code
 *     DOCPIPE_EXTRACTION=tika}, {@code DOCPIPE_TIKA_*}); absent: in-process extraction
 */
public record DocpipeConfig(
    Path indexDir,
    Embedding embedding,
    VectorStoreKind vectorStore,
    java.time.Duration luceneMergeWhenQuiet,
    OnnxSettings onnx,
    IngestSettings ingest,
    Path checkpointDir,
    java.util.Optional<OpenAiSettings> openAi,
    java.util.Optional<QdrantSettings> qdrant,
    java.util.Optional<Path> s3MirrorDir,
    SourceConfig sources,
    java.util.Optional<Kubernetes> kubernetes,
    java.util.Optional<TikaSettings> tika) {

  /** Where document text is extracted ({@code DOCPIPE_EXTRACTION}). */
  public enum Extraction {
    /** In this process (PDFBox, POI, jsoup): no other process, no network. */
    INPROCESS,
    /** By an Apache Tika Server beside this process, the doc-builder sidecar (ADR 0024). */
    TIKA
  }

  /** Where document text is extracted. */
  public Extraction extraction() {
    return tika.isPresent() ? Extraction.TIKA : Extraction.INPROCESS;
  }

  /** Where shard checkpoints are kept. */
  public enum CheckpointStoreKind {
    /** One file per shard in {@code DOCPIPE_CHECKPOINT_DIR}: local and single-machine runs. */
    FILE,
    /** One ConfigMap per Kubernetes Job, a key per shard ({@code DOCPIPE_K8S_*}). */
    CONFIGMAP
  }

  /**
   * The Kubernetes side of a worker, in the Kubernetes adapter's terms: the cluster and namespace,
   * the ConfigMap that keeps the Job's checkpoints, and the Job (from the pod's labels through the
   * downward API).
   *
   * @param cluster API server ({@code DOCPIPE_K8S_API_URL}; absent: in-cluster service account,
   *     else kubeconfig) and namespace of the Job, the ConfigMap and the Events ({@code
   *     DOCPIPE_K8S_NAMESPACE})
   * @param checkpointConfigMap name of the checkpoint ConfigMap ({@code
   *     DOCPIPE_CHECKPOINT_CONFIGMAP}, else {@code <job>-checkpoints})
   * @param job the Job the worker runs for ({@code DOCPIPE_K8S_JOB_NAME}, {@code
   *     DOCPIPE_K8S_JOB_UID}): Events are posted on it, and it owns the ConfigMap when its uid is
   *     known
   */
  public record Kubernetes(
      KubernetesSettings cluster, String checkpointConfigMap, java.util.Optional<JobRef> job) {
    public Kubernetes {
      Objects.requireNonNull(cluster, "cluster");
      Objects.requireNonNull(checkpointConfigMap, "checkpointConfigMap");
      Objects.requireNonNull(job, "job");
    }
  }

  /** Which checkpoint store serves ({@code DOCPIPE_CHECKPOINT_STORE}). */
  public CheckpointStoreKind checkpointStore() {
    return kubernetes.isPresent() ? CheckpointStoreKind.CONFIGMAP : CheckpointStoreKind.FILE;
  }

  /** The embedding models this build can use. */
  public enum Embedding {
    /** An in-process model on ONNX Runtime ({@code DOCPIPE_ONNX_MODEL}); needs no network. */
    ONNX,
    /** Any OpenAI-compatible {@code /embeddings} API ({@code DOCPIPE_OPENAI_*}). */
    OPENAI
  }

  /** The vector stores this build can use. */
  public enum VectorStoreKind {
    /** An Apache Lucene index in {@code indexDir}; needs no server. */
    LUCENE,
    /** A collection on a Qdrant server or Qdrant Cloud, over gRPC ({@code DOCPIPE_QDRANT_*}). */
    QDRANT
  }

  public static final String PREFIX = "DOCPIPE_";

  /** The most in-process model runs side by side ({@code DOCPIPE_ONNX_THREADS}). */
  public static final int MAX_ONNX_THREADS = 256;

  /**
   * Long enough that a bulk load's calls, coming back to back, are merged once after the last;
   * short enough that a service is merged before most of its searches come (ADR 0036).
   */
  public static final java.time.Duration DEFAULT_LUCENE_MERGE_WHEN_QUIET =
      java.time.Duration.ofSeconds(10);

  private static final System.Logger LOG = System.getLogger(DocpipeConfig.class.getName());

  public DocpipeConfig {
    Objects.requireNonNull(indexDir, "indexDir");
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(vectorStore, "vectorStore");
    Objects.requireNonNull(luceneMergeWhenQuiet, "luceneMergeWhenQuiet");
    if (luceneMergeWhenQuiet.isNegative()) {
      throw new IllegalArgumentException(
          "luceneMergeWhenQuiet must not be negative: " + luceneMergeWhenQuiet);
    }
    Objects.requireNonNull(onnx, "onnx");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(checkpointDir, "checkpointDir");
    Objects.requireNonNull(openAi, "openAi");
    Objects.requireNonNull(qdrant, "qdrant");
    Objects.requireNonNull(s3MirrorDir, "s3MirrorDir");
    Objects.requireNonNull(sources, "sources");
    Objects.requireNonNull(kubernetes, "kubernetes");
    Objects.requireNonNull(tika, "tika");
    if (embedding == Embedding.OPENAI && openAi.isEmpty()) {
      throw new IllegalArgumentException("embedding OPENAI needs the OpenAI settings");
    }
    if (vectorStore == VectorStoreKind.QDRANT && qdrant.isEmpty()) {
      throw new IllegalArgumentException("vector store QDRANT needs the Qdrant settings");
    }
  }

  /** Everything at its default: embedded model and index in {@code ./.docpipe}. */
  public static DocpipeConfig defaults() {
    return fromEnvironment(Map.of());
  }

  /**
   * Reads and validates the configuration.
   *
   * @throws ConfigException naming every invalid variable and what it allows
   */
  public static DocpipeConfig fromEnvironment(Map<String, String> env) {
    return fromEnvironment(new EnvironmentReader(env));
  }

  /**
   * Reads and validates the configuration with {@code r}, which may have read a runtime's own
   * variables first: the problems found there are reported here too, in one message, and the
   * variables read there are not warned about as unknown.
   *
   * @throws ConfigException naming every invalid variable {@code r} has seen and what it allows
   */
  public static DocpipeConfig fromEnvironment(EnvironmentReader r) {
    Path indexDir = r.path("DOCPIPE_INDEX_DIR", Path.of(".docpipe"));
    Embedding embedding = r.choice("DOCPIPE_EMBEDDING", Embedding.ONNX);
    VectorStoreKind store = r.choice("DOCPIPE_VECTOR_STORE", VectorStoreKind.LUCENE);
    int cores = Runtime.getRuntime().availableProcessors();
    int onnxThreads = r.integer("DOCPIPE_ONNX_THREADS", cores, 1, MAX_ONNX_THREADS);
    OnnxSettings.Model onnxModel = OnnxSettings.DEFAULT_MODEL;
    try {
      onnxModel = OnnxSettings.Model.parse(r.string("DOCPIPE_ONNX_MODEL", onnxModel.label()));
    } catch (IllegalArgumentException e) {
      r.problem("DOCPIPE_ONNX_MODEL: " + e.getMessage());
    }
    java.util.Optional<Path> onnxPrepared = r.optionalPath("DOCPIPE_ONNX_PREPARED_DIR");
    int onnxBatch =
        r.integer(
            "DOCPIPE_ONNX_BATCH_SIZE",
            OnnxSettings.DEFAULT_MAX_BATCH_SIZE,
            1,
            OnnxSettings.MAX_BATCH_SIZE);
    int chunkTokens = r.integer("DOCPIPE_CHUNK_TOKENS", ChunkingPolicy.DEFAULT_MAX_TOKENS, 8, 8192);
    int overlap =
        r.integer("DOCPIPE_CHUNK_OVERLAP", ChunkingPolicy.DEFAULT_OVERLAP_TOKENS, 0, 4096);
    ChunkingPolicy.Mode mode = r.choice("DOCPIPE_CHUNKING", ChunkingPolicy.Mode.SPLIT);
    long maxBytes =
        r.bytes(
            "DOCPIPE_MAX_DOCUMENT_BYTES", IngestSettings.DEFAULT_MAX_DOCUMENT_BYTES, 1, 1L << 40);
    int maxChars =
        r.integer(
            "DOCPIPE_MAX_TEXT_CHARS",
            IngestSettings.DEFAULT_MAX_TEXT_CHARS,
            1,
            Integer.MAX_VALUE - 16);
    int maxChunks =
        r.integer(
            "DOCPIPE_MAX_CHUNKS_PER_DOCUMENT",
            IngestSettings.DEFAULT_MAX_CHUNKS_PER_DOCUMENT,
            1,
            10_000_000);
    int embedBatch =
        r.integer(
            "DOCPIPE_EMBEDDING_BATCH_SIZE", IngestSettings.DEFAULT_EMBEDDING_BATCH_SIZE, 1, 4096);
    Path checkpointDir = r.path("DOCPIPE_CHECKPOINT_DIR", indexDir.resolve("checkpoints"));
    java.net.URI openAiUrl =
        r.uri("DOCPIPE_OPENAI_BASE_URL", java.net.URI.create("https://api.openai.com/v1"));
    String openAiModel = r.string("DOCPIPE_OPENAI_MODEL", "text-embedding-3-small");
    int openAiDimension = r.integer("DOCPIPE_OPENAI_DIMENSION", 1536, 1, 4096);
    java.util.Optional<Secret> openAiKey = r.secret("DOCPIPE_OPENAI_API_KEY");
    boolean openAiPlainHttp = r.bool("DOCPIPE_OPENAI_ALLOW_PLAIN_HTTP", false);
    // The client-side limits should match the account's: a provider's limits differ by tier.
    int openAiRequestsPerMinute =
        r.integer(
            "DOCPIPE_OPENAI_REQUESTS_PER_MINUTE",
            OpenAiSettings.DEFAULT_REQUESTS_PER_MINUTE,
            1,
            100_000_000);
    int openAiTokensPerMinute =
        r.integer(
            "DOCPIPE_OPENAI_TOKENS_PER_MINUTE",
            OpenAiSettings.DEFAULT_TOKENS_PER_MINUTE,
            OpenAiSettings.DEFAULT_MAX_TOKENS_PER_REQUEST,
            2_000_000_000);
    java.util.Optional<Path> s3MirrorDir = r.optionalPath("DOCPIPE_S3_MIRROR_DIR");
    SourceConfig sources = SourceConfig.read(r);

    java.util.Optional<QdrantSettings> qdrant = qdrant(r, store);
    java.util.Optional<Kubernetes> kubernetes = kubernetes(r);
    Extraction extraction = r.choice("DOCPIPE_EXTRACTION", Extraction.INPROCESS);
    java.net.URI tikaUrl = r.uri("DOCPIPE_TIKA_URL", TikaSettings.DEFAULT_URL);
    java.time.Duration luceneMergeWhenQuiet =
        r.duration(
            "DOCPIPE_LUCENE_MERGE_WHEN_QUIET",
            DEFAULT_LUCENE_MERGE_WHEN_QUIET,
            java.time.Duration.ZERO,
            java.time.Duration.ofHours(24));
    java.time.Duration tikaTimeout =
        r.duration(
            "DOCPIPE_TIKA_TIMEOUT",
            TikaSettings.DEFAULT_TIMEOUT,
            java.time.Duration.ofSeconds(1),
            java.time.Duration.ofHours(1));

    if (embedding == Embedding.OPENAI
        && openAiKey.isEmpty()
        && "api.openai.com".equals(openAiUrl.getHost())) {
      r.problem(
          "DOCPIPE_OPENAI_API_KEY must be set to use api.openai.com (DOCPIPE_EMBEDDING=openai)");
    }
    boolean keyInClearText =
        embedding == Embedding.OPENAI
            && openAiKey.isPresent()
            && "http".equalsIgnoreCase(openAiUrl.getScheme())
            && openAiUrl.getHost() != null
            && !openAiPlainHttp
            && !OpenAiSettings.isLoopbackHost(openAiUrl.getHost());
    if (keyInClearText) {
      // Refused, not warned about: the key would cross the network in clear text.
      r.problem(
          "DOCPIPE_OPENAI_BASE_URL='"
              + openAiUrl
              + "' is plain http and would send DOCPIPE_OPENAI_API_KEY in clear text: use"
              + " https://, or set DOCPIPE_OPENAI_ALLOW_PLAIN_HTTP=true for a test address");
    }
    java.util.Optional<OpenAiSettings> openAi = java.util.Optional.empty();
    if (embedding == Embedding.OPENAI && !keyInClearText) {
      try {
        openAi =
            java.util.Optional.of(
                OpenAiSettings.defaults(
                        openAiUrl,
                        openAiModel,
                        openAiDimension,
                        openAiKey.map(Secret::reveal).orElse(""),
                        openAiPlainHttp)
                    .withRateLimits(openAiRequestsPerMinute, openAiTokensPerMinute));
      } catch (IllegalArgumentException e) {
        // The adapter's own checks (never echoing the key): a base URL with a query, a key with
        // spaces.
        r.problem("DOCPIPE_OPENAI_*: " + e.getMessage());
      }
    }
    s3MirrorDir
        .filter(dir -> !java.nio.file.Files.isDirectory(dir))
        .ifPresent(
            dir -> r.problem("DOCPIPE_S3_MIRROR_DIR='" + dir + "' must be an existing directory"));
    ChunkingPolicy chunking = null;
    if (overlap > chunkTokens / 2) {
      r.problem(
          "DOCPIPE_CHUNK_OVERLAP='"
              + overlap
              + "' must be at most half of DOCPIPE_CHUNK_TOKENS ("
              + chunkTokens / 2
              + ")");
    } else {
      chunking = new ChunkingPolicy(chunkTokens, overlap, mode);
    }
    r.failOnProblems();
    if (chunking == null) {
      throw new IllegalStateException("no chunking policy although no problem was found");
    }
    for (String unknown : r.unknown(PREFIX)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ignoring unknown variable {0}: see docs/configuration.md",
          unknown);
    }
    java.util.Optional<TikaSettings> tika =
        extraction == Extraction.TIKA
            ? java.util.Optional.of(
                TikaSettings.of(tikaUrl).withTimeout(tikaTimeout).withMaxDocumentBytes(maxBytes))
            : java.util.Optional.empty();
    return new DocpipeConfig(
        indexDir,
        embedding,
        store,
        luceneMergeWhenQuiet,
        new OnnxSettings(onnxBatch, onnxThreads, onnxModel, onnxPrepared.orElse(null)),
        new IngestSettings(chunking, maxBytes, maxChars, maxChunks, embedBatch),
        checkpointDir,
        openAi,
        qdrant,
        s3MirrorDir,
        sources,
        kubernetes,
        tika);
  }

  /** The {@code DOCPIPE_K8S_*} settings, read when {@code DOCPIPE_CHECKPOINT_STORE=configmap}. */
  private static java.util.Optional<Kubernetes> kubernetes(EnvironmentReader r) {
    CheckpointStoreKind kind = r.choice("DOCPIPE_CHECKPOINT_STORE", CheckpointStoreKind.FILE);
    String namespace = r.string("DOCPIPE_K8S_NAMESPACE", "default");
    java.util.Optional<java.net.URI> apiServer = r.optionalUri("DOCPIPE_K8S_API_URL");
    String objectName =
        "a Kubernetes object name (lower-case letters, digits, '-', '.'; at most 253)";
    java.util.Optional<String> jobName =
        r.optionalString("DOCPIPE_K8S_JOB_NAME", KubernetesSettings::isObjectName, objectName);
    java.util.Optional<String> jobUid =
        r.optionalString(
            "DOCPIPE_K8S_JOB_UID", uid -> uid.length() <= 128, "at most 128 characters");
    java.util.Optional<String> configMap =
        r.optionalString(
            "DOCPIPE_CHECKPOINT_CONFIGMAP", KubernetesSettings::isObjectName, objectName);
    if (kind != CheckpointStoreKind.CONFIGMAP) {
      return java.util.Optional.empty();
    }
    boolean valid = true;
    if (!KubernetesSettings.isDnsLabel(namespace)) {
      r.problem(
          "DOCPIPE_K8S_NAMESPACE='"
              + namespace
              + "' must be a namespace name (lower-case letters, digits, '-'; at most 63)");
      valid = false;
    }
    String name = configMap.orElse(jobName.map(job -> job + "-checkpoints").orElse(null));
    if (name == null || !KubernetesSettings.isObjectName(name)) {
      if (configMap.isEmpty() && jobName.isEmpty()) {
        r.problem(
            "DOCPIPE_CHECKPOINT_STORE=configmap needs DOCPIPE_CHECKPOINT_CONFIGMAP or"
                + " DOCPIPE_K8S_JOB_NAME (the ConfigMap is then <job>-checkpoints)");
      } else if (configMap.isEmpty()) {
        r.problem("DOCPIPE_K8S_JOB_NAME is too long to name its checkpoint ConfigMap");
      }
      valid = false;
    }
    return valid && name != null
        ? java.util.Optional.of(
            new Kubernetes(
                new KubernetesSettings(apiServer, namespace),
                name,
                jobName.map(job -> new JobRef(job, jobUid))))
        : java.util.Optional.empty();
  }

  private static java.util.Optional<QdrantSettings> qdrant(
      EnvironmentReader r, VectorStoreKind store) {
    int problemsBefore = r.problems().size();
    String host = r.string("DOCPIPE_QDRANT_HOST", "localhost");
    int port = r.integer("DOCPIPE_QDRANT_PORT", QdrantSettings.DEFAULT_PORT, 1, 65_535);
    boolean tls = r.bool("DOCPIPE_QDRANT_TLS", false);
    java.util.Optional<Secret> key = r.secret("DOCPIPE_QDRANT_API_KEY");
    String collection = r.string("DOCPIPE_QDRANT_COLLECTION", "docpipe");
    int batch =
        r.integer(
            "DOCPIPE_QDRANT_UPSERT_BATCH",
            QdrantSettings.DEFAULT_BATCH,
            QdrantSettings.MIN_BATCH,
            QdrantSettings.MAX_BATCH);
    int concurrent = r.integer("DOCPIPE_QDRANT_CONCURRENT_BATCHES", 4, 1, 64);
    int timeoutSeconds = r.integer("DOCPIPE_QDRANT_TIMEOUT_SECONDS", 30, 1, 3600);
    List<String> indexed = r.list("DOCPIPE_QDRANT_INDEXED_METADATA");
    if (!collection.matches("[A-Za-z0-9_-]{1,255}")) {
      r.problem(
          "DOCPIPE_QDRANT_COLLECTION='"
              + collection
              + "' must be 1 to 255 of the characters A-Z a-z 0-9 _ -");
    }
    for (String field : indexed) {
      try {
        io.docpipe.core.model.Metadata.checkKey(field);
      } catch (IllegalArgumentException e) {
        r.problem("DOCPIPE_QDRANT_INDEXED_METADATA: " + e.getMessage());
      }
    }
    if (store == VectorStoreKind.QDRANT && !tls && key.isPresent() && !isLoopback(host)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "DOCPIPE_QDRANT_API_KEY is sent without TLS to {0}: set DOCPIPE_QDRANT_TLS=true",
          host);
    }
    if (store != VectorStoreKind.QDRANT || r.problems().size() > problemsBefore) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(
          QdrantSettings.of(host, port, collection)
              .withTls(tls)
              .withApiKey(key.map(Secret::reveal).orElse(null))
              .withBatching(batch, concurrent)
              .withTimeout(java.time.Duration.ofSeconds(timeoutSeconds))
              .withIndexedMetadata(indexed));
    } catch (IllegalArgumentException e) {
      r.problem("DOCPIPE_QDRANT_*: " + e.getMessage());
      return java.util.Optional.empty();
    }
  }

  private static boolean isLoopback(String host) {
    return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
  }
}
