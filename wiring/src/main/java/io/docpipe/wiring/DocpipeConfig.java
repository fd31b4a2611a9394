package io.docpipe.wiring;

import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.service.IngestSettings;
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
 * @param onnxThreads intra-op threads of the in-process model ({@code DOCPIPE_ONNX_THREADS})
 * @param onnxBatchSize texts per inference call of the in-process model ({@code
 *     DOCPIPE_ONNX_BATCH_SIZE})
 * @param ingest chunking, limits and batching ({@code DOCPIPE_CHUNK_*}, {@code DOCPIPE_MAX_*},
 *     {@code DOCPIPE_EMBEDDING_BATCH_SIZE})
 * @param checkpointDir where shard checkpoints are kept for local runs ({@code
 *     DOCPIPE_CHECKPOINT_DIR})
 */
public record DocpipeConfig(
    Path indexDir,
    Embedding embedding,
    VectorStoreKind vectorStore,
    int onnxThreads,
    int onnxBatchSize,
    IngestSettings ingest,
    Path checkpointDir,
    java.util.Optional<OpenAi> openAi) {

  /** The embedding models this build can use. */
  public enum Embedding {
    /** all-MiniLM-L6-v2 in-process on ONNX Runtime; needs no network. */
    ONNX,
    /** Any OpenAI-compatible {@code /embeddings} API ({@code DOCPIPE_OPENAI_*}). */
    OPENAI
  }

  /**
   * An OpenAI-compatible embeddings API. The key is a {@link Secret}: this record can be logged.
   *
   * @param baseUrl API root; requests go to {@code {baseUrl}/embeddings}
   * @param model model name sent with every request
   * @param dimension vector length the model returns (and the index is built for)
   * @param apiKey bearer token; absent for servers without authentication
   */
  public record OpenAi(
      java.net.URI baseUrl, String model, int dimension, java.util.Optional<Secret> apiKey) {
    public OpenAi {
      Objects.requireNonNull(baseUrl, "baseUrl");
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(apiKey, "apiKey");
    }
  }

  /** The vector stores this build can use. */
  public enum VectorStoreKind {
    /** An Apache Lucene index in {@code indexDir}; needs no server. */
    LUCENE
  }

  public static final String PREFIX = "DOCPIPE_";

  private static final System.Logger LOG = System.getLogger(DocpipeConfig.class.getName());

  public DocpipeConfig {
    Objects.requireNonNull(indexDir, "indexDir");
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(vectorStore, "vectorStore");
    Objects.requireNonNull(ingest, "ingest");
    Objects.requireNonNull(checkpointDir, "checkpointDir");
    Objects.requireNonNull(openAi, "openAi");
    if (embedding == Embedding.OPENAI && openAi.isEmpty()) {
      throw new IllegalArgumentException("embedding OPENAI needs the OpenAI settings");
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
    EnvironmentReader r = new EnvironmentReader(env);
    Path indexDir = r.path("DOCPIPE_INDEX_DIR", Path.of(".docpipe"));
    Embedding embedding = r.choice("DOCPIPE_EMBEDDING", Embedding.ONNX);
    VectorStoreKind store = r.choice("DOCPIPE_VECTOR_STORE", VectorStoreKind.LUCENE);
    int cores = Runtime.getRuntime().availableProcessors();
    int onnxThreads = r.integer("DOCPIPE_ONNX_THREADS", cores, 1, 256);
    int onnxBatch = r.integer("DOCPIPE_ONNX_BATCH_SIZE", 32, 1, 256);
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

    List<String> problems = new java.util.ArrayList<>(r.problems());
    if (embedding == Embedding.OPENAI
        && openAiKey.isEmpty()
        && "api.openai.com".equals(openAiUrl.getHost())) {
      problems.add(
          "DOCPIPE_OPENAI_API_KEY must be set to use api.openai.com (DOCPIPE_EMBEDDING=openai)");
    }
    ChunkingPolicy chunking = null;
    if (overlap > chunkTokens / 2) {
      problems.add(
          "DOCPIPE_CHUNK_OVERLAP='"
              + overlap
              + "' must be at most half of DOCPIPE_CHUNK_TOKENS ("
              + chunkTokens / 2
              + ")");
    } else {
      chunking = new ChunkingPolicy(chunkTokens, overlap, mode);
    }
    if (!problems.isEmpty() || chunking == null) {
      throw new ConfigException(problems);
    }
    for (String unknown : r.unknown(PREFIX)) {
      LOG.log(
          System.Logger.Level.WARNING,
          "ignoring unknown variable {0}: see docs/configuration.md",
          unknown);
    }
    return new DocpipeConfig(
        indexDir,
        embedding,
        store,
        onnxThreads,
        onnxBatch,
        new IngestSettings(chunking, maxBytes, maxChars, maxChunks, embedBatch),
        checkpointDir,
        embedding == Embedding.OPENAI
            ? java.util.Optional.of(new OpenAi(openAiUrl, openAiModel, openAiDimension, openAiKey))
            : java.util.Optional.empty());
  }
}
