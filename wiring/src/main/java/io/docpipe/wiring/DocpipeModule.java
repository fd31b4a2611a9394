package io.docpipe.wiring;

import dagger.Module;
import dagger.Provides;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.service.DeleteDocumentsService;
import io.docpipe.core.service.SearchDocumentsService;
import io.docpipe.documents.DocumentLimits;
import io.docpipe.documents.Documents;
import io.docpipe.files.LocalFiles;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.onnx.OnnxEmbeddingModel;
import io.docpipe.onnx.OnnxSettings;
import io.docpipe.openai.OpenAiEmbeddingModel;
import io.docpipe.openai.OpenAiSettings;
import io.docpipe.qdrant.QdrantSettings;
import io.docpipe.qdrant.QdrantVectorStores;
import java.util.List;
import javax.inject.Singleton;

/**
 * Chooses and builds the adapters from {@link DocpipeConfig} and provides the core's use cases. A
 * runtime's component includes this module and binds a config and an {@link IngestionListener}.
 */
@Module(subcomponents = CorpusRun.class)
public abstract class DocpipeModule {

  private DocpipeModule() {}

  @Provides
  @Singleton
  static EmbeddingModel embeddingModel(DocpipeConfig config) {
    return switch (config.embedding()) {
      case ONNX ->
          OnnxEmbeddingModel.allMiniLmL6V2(
              new OnnxSettings(config.onnxBatchSize(), config.onnxThreads()));
      case OPENAI -> {
        DocpipeConfig.OpenAi api = config.openAi().orElseThrow();
        yield OpenAiEmbeddingModel.create(
            OpenAiSettings.defaults(
                    api.baseUrl(),
                    api.model(),
                    api.dimension(),
                    api.apiKey().map(Secret::reveal).orElse(""),
                    api.allowPlainHttp())
                .withRateLimits(api.requestsPerMinute(), api.tokensPerMinute()));
      }
    };
  }

  @Provides
  @Singleton
  static VectorStore vectorStore(DocpipeConfig config, EmbeddingModel model) {
    return switch (config.vectorStore()) {
      case LUCENE ->
          LuceneVectorStores.open(config.indexDir().resolve("lucene"), model.dimension());
      case QDRANT -> QdrantVectorStores.connect(qdrantSettings(config), model.dimension());
    };
  }

  /** The adapter's settings from the validated configuration; the key is revealed only here. */
  static QdrantSettings qdrantSettings(DocpipeConfig config) {
    DocpipeConfig.Qdrant q = config.qdrant().orElseThrow();
    return QdrantSettings.of(q.host(), q.port(), q.collection())
        .withTls(q.tls())
        .withApiKey(q.apiKey().map(Secret::reveal).orElse(null))
        .withBatching(q.upsertBatch(), q.concurrentBatches())
        .withTimeout(q.timeout())
        .withIndexedMetadata(q.indexedMetadata());
  }

  @Provides
  @Singleton
  static CheckpointStore checkpointStore(DocpipeConfig config) {
    return switch (config.checkpointStore()) {
      case FILE -> LocalFiles.checkpointStore(config.checkpointDir());
      case CONFIGMAP -> {
        DocpipeConfig.Kubernetes k8s = config.kubernetes().orElseThrow();
        yield cluster(k8s).checkpointStore(k8s.checkpointConfigMap(), jobRef(k8s));
      }
    };
  }

  @Provides
  @Singleton
  static ShardEvents.Factory shardEvents(DocpipeConfig config) {
    return config
        .kubernetes()
        .filter(k8s -> k8s.jobName().isPresent())
        .<ShardEvents.Factory>map(
            k8s -> {
              io.docpipe.kubernetes.KubernetesCluster cluster = cluster(k8s);
              io.docpipe.kubernetes.JobRef job = jobRef(k8s);
              return shard -> {
                io.docpipe.kubernetes.JobEvents events = cluster.jobEvents(job, shard);
                return new ShardEvents() {
                  @Override
                  public void documentFinished(
                      io.docpipe.core.model.DocumentOutcome outcome, java.time.Duration took) {
                    events.documentFinished(outcome, took);
                  }

                  @Override
                  public void runEnded(String reason, String message, boolean warning) {
                    events.runEnded(reason, message, warning);
                  }

                  @Override
                  public void close() {
                    events.close();
                  }
                };
              };
            })
        .orElse(shard -> ShardEvents.NONE);
  }

  private static io.docpipe.kubernetes.KubernetesCluster cluster(DocpipeConfig.Kubernetes k8s) {
    return io.docpipe.kubernetes.KubernetesCluster.connect(
        new io.docpipe.kubernetes.KubernetesSettings(k8s.apiServer(), k8s.namespace()));
  }

  private static io.docpipe.kubernetes.JobRef jobRef(DocpipeConfig.Kubernetes k8s) {
    return k8s.jobName()
        .map(name -> new io.docpipe.kubernetes.JobRef(name, k8s.jobUid()))
        .orElseGet(io.docpipe.kubernetes.JobRef::none);
  }

  /** Text, Markdown and HTML first, then PDF and Office documents. */
  @Provides
  static List<TextExtractor> extractors() {
    List<TextExtractor> extractors = new java.util.ArrayList<>(LocalFiles.extractors());
    extractors.addAll(Documents.extractors(DocumentLimits.defaults()));
    return List.copyOf(extractors);
  }

  @Provides
  static SearchDocuments search(EmbeddingModel model, VectorStore store) {
    return new SearchDocumentsService(model, store);
  }

  @Provides
  static DeleteDocuments delete(VectorStore store, IngestionListener listener) {
    return new DeleteDocumentsService(store, listener);
  }

  @Provides
  @Singleton
  static DocumentSources documentSources(DocpipeConfig config) {
    return new DocumentSources(config.sources());
  }

  @Provides
  @Singleton
  static Resources resources(EmbeddingModel model, VectorStore store, DocumentSources sources) {
    return new Resources(List.of(store, model, sources));
  }
}
