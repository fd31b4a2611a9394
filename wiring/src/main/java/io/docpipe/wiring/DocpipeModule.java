package io.docpipe.wiring;

import dagger.BindsOptionalOf;
import dagger.Module;
import dagger.Provides;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.DescribeIndex;
import io.docpipe.core.port.in.OptimizeIndex;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.WriteStamps;
import io.docpipe.core.service.DeleteDocumentsService;
import io.docpipe.core.service.DescribeIndexService;
import io.docpipe.core.service.OptimizeIndexService;
import io.docpipe.core.service.SearchDocumentsService;
import io.docpipe.documents.DocumentLimits;
import io.docpipe.documents.Documents;
import io.docpipe.files.LocalFiles;
import io.docpipe.kubernetes.JobEvents;
import io.docpipe.kubernetes.JobRef;
import io.docpipe.kubernetes.KubernetesCluster;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.onnx.OnnxEmbeddingModel;
import io.docpipe.openai.OpenAiEmbeddingModel;
import io.docpipe.openai.OpenAiSettings;
import io.docpipe.qdrant.QdrantVectorStores;
import io.docpipe.tika.TikaExtraction;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import javax.inject.Provider;
import javax.inject.Singleton;

/**
 * Chooses and builds the adapters from {@link DocpipeConfig} and provides the core's use cases. A
 * runtime's component includes this module and binds a config and an {@link IngestionListener}; a
 * runtime whose keys are read at run time also binds its {@link SecretRotation}, and the clients
 * that use a key then follow its rotation.
 */
@Module(subcomponents = CorpusRun.class)
public abstract class DocpipeModule {

  private DocpipeModule() {}

  /** Bound by the runtimes that read their keys at run time (absent: the CLI). */
  @BindsOptionalOf
  abstract SecretRotation secretRotation();

  @Provides
  @Singleton
  static EmbeddingModel embeddingModel(DocpipeConfig config, Optional<SecretRotation> rotation) {
    return switch (config.embedding()) {
      case ONNX -> OnnxEmbeddingModel.of(config.onnx());
      case OPENAI ->
          rotatingIfActive(
              rotation,
              config,
              "embeddings API",
              c -> c.openAi().orElseThrow(),
              c -> OpenAiEmbeddingModel.create(c.openAi().orElseThrow()),
              OpenAiEmbeddingModel::refusedCredentials,
              RotatingEmbeddingModel::new);
    };
  }

  /**
   * The client {@code build} makes from {@code config}, or, when secrets rotate, one that follows
   * them: rebuilt with the new key after a re-read or a call {@code refused} for its key.
   */
  private static <T> T rotatingIfActive(
      Optional<SecretRotation> rotation,
      DocpipeConfig config,
      String what,
      Function<DocpipeConfig, Object> settingsOf,
      Function<DocpipeConfig, T> build,
      Predicate<Throwable> refused,
      Function<Rotating<T>, T> follow) {
    Optional<SecretRotation> active = rotation.filter(SecretRotation::active);
    if (active.isEmpty()) {
      return build.apply(config);
    }
    return follow.apply(new Rotating<>(what, active.get(), config, settingsOf, build, refused));
  }

  @Provides
  @Singleton
  static VectorStore store(
      DocpipeConfig config, Provider<EmbeddingModel> model, Optional<SecretRotation> rotation) {
    // The store needs the model's dimension and id only. For the embeddings API both are settings:
    // the store then opens without waiting for the API client (its JSON and HTTP stacks) to be
    // built, so a Lambda cold start can do both at once (ADR 0030). The id comes from the settings
    // rather than the model's class, whose initialisation (its ObjectMapper) would otherwise run on
    // the index's thread, ahead of opening the index.
    if (config.embedding() == DocpipeConfig.Embedding.OPENAI) {
      OpenAiSettings settings = config.openAi().orElseThrow();
      return vectorStore(config, settings.dimension(), settings.modelId(), rotation);
    }
    return vectorStore(config, model.get(), rotation);
  }

  /** The store for {@code model}'s vectors. */
  static VectorStore vectorStore(
      DocpipeConfig config, EmbeddingModel model, Optional<SecretRotation> rotation) {
    return vectorStore(config, model.dimension(), model.modelId(), rotation);
  }

  private static VectorStore vectorStore(
      DocpipeConfig config, int dimension, String modelId, Optional<SecretRotation> rotation) {
    return switch (config.vectorStore()) {
      case LUCENE ->
          LuceneVectorStores.open(
              config.indexDir().resolve("lucene"),
              dimension,
              modelId,
              config.luceneMergeWhenQuiet());
      case QDRANT -> {
        yield rotatingIfActive(
            rotation,
            config,
            "Qdrant",
            c -> c.qdrant().orElseThrow(),
            c -> QdrantVectorStores.connect(c.qdrant().orElseThrow(), dimension, modelId),
            QdrantVectorStores::refusedCredentials,
            RotatingVectorStore::new);
      }
    };
  }

  @Provides
  @Singleton
  static CheckpointStore checkpointStore(DocpipeConfig config) {
    return switch (config.checkpointStore()) {
      case FILE -> LocalFiles.checkpointStore(config.checkpointDir());
      case CONFIGMAP -> {
        DocpipeConfig.Kubernetes k8s = config.kubernetes().orElseThrow();
        yield KubernetesCluster.connect(k8s.cluster())
            .checkpointStore(k8s.checkpointConfigMap(), k8s.job().orElseGet(JobRef::none));
      }
    };
  }

  @Provides
  @Singleton
  static ShardEvents.Factory shardEvents(DocpipeConfig config) {
    return config
        .kubernetes()
        .filter(k8s -> k8s.job().isPresent())
        .<ShardEvents.Factory>map(
            k8s -> {
              KubernetesCluster cluster = KubernetesCluster.connect(k8s.cluster());
              JobRef job = k8s.job().orElseThrow();
              return shard -> {
                JobEvents events = cluster.jobEvents(job, shard);
                return new ShardEvents() {
                  @Override
                  public void documentFinished(DocumentOutcome outcome, Duration took) {
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

  /**
   * In-process: text, Markdown and HTML first, then PDF and Office documents. With the Tika
   * sidecar: text and Markdown in-process (decoding needs no parser), everything else sent to Tika.
   */
  @Provides
  static List<TextExtractor> extractors(DocpipeConfig config) {
    List<TextExtractor> extractors = new java.util.ArrayList<>();
    switch (config.extraction()) {
      case INPROCESS -> {
        extractors.addAll(LocalFiles.extractors());
        extractors.addAll(Documents.extractors(DocumentLimits.defaults()));
      }
      case TIKA -> {
        LocalFiles.extractors().stream()
            .filter(x -> !x.supports(io.docpipe.core.model.MediaTypes.HTML))
            .forEach(extractors::add);
        extractors.add(TikaExtraction.extractor(config.tika().orElseThrow()));
      }
    }
    return List.copyOf(extractors);
  }

  /**
   * The one clock of write stamps for every run of this component: the runs write the component's
   * one store, so their stamps must keep increasing across runs as well (ADR 0027).
   */
  @Provides
  @Singleton
  static WriteStamps writeStamps() {
    return new WriteStamps(InstantSource.system());
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
  static DescribeIndex describeIndex(EmbeddingModel model, VectorStore store) {
    return new DescribeIndexService(model, store);
  }

  @Provides
  static OptimizeIndex optimizeIndex(VectorStore store) {
    return new OptimizeIndexService(store);
  }

  @Provides
  @Singleton
  static DocumentSources documentSources(DocpipeConfig config) {
    return new DocumentSources(config.sources(), config.s3MirrorDir());
  }

  @Provides
  @Singleton
  static Resources resources(EmbeddingModel model, VectorStore store, DocumentSources sources) {
    return new Resources(List.of(store, model, sources));
  }
}
