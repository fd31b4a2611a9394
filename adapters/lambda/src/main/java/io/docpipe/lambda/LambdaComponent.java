package io.docpipe.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.DocpipeModule;
import io.docpipe.wiring.EventIngestionModule;
import io.docpipe.wiring.Resources;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.observe.Tracing;
import java.util.function.Supplier;
import javax.inject.Singleton;

/**
 * The object graph of one Lambda execution environment, built once and kept for its lifetime: the
 * pipeline from {@code wiring} ({@link DocpipeModule}, {@link EventIngestionModule}, the same as
 * Fargate's) and the handlers' own parts ({@link LambdaModule}).
 */
@Singleton
@Component(modules = {DocpipeModule.class, EventIngestionModule.class, LambdaModule.class})
interface LambdaComponent extends AutoCloseable {

  BatchRunner batches();

  EventMessages messages();

  DocpipeHttpApi http();

  SearchDocuments search();

  VectorStore vectorStore();

  EmbeddingModel embeddingModel();

  Resources resources();

  /** The invocation's metrics as EMF lines, written to the log when it ends. */
  EmfMetrics emf();

  /** Spans per invocation and document. */
  Tracing tracing();

  /** The whole graph built, and its SnapStart and shutdown hooks registered; once per component. */
  ExecutionEnvironment executionEnvironment();

  /** Closes the index and the model session; closing twice is harmless. */
  @Override
  default void close() {
    resources().close();
  }

  /**
   * Builds the graph for the configuration {@code config} supplies when first needed; the clients
   * that use a key follow {@code secrets}.
   */
  @Component.Factory
  interface Factory {
    LambdaComponent create(
        @BindsInstance Supplier<DocpipeConfig> config,
        @BindsInstance Tracing tracing,
        @BindsInstance SecretRotation secrets);
  }

  /**
   * The function's component: keys from {@code secrets}, spans per invocation and document exported
   * by OTLP only when {@code OTEL_*} says where.
   */
  static LambdaComponent create(DocpipeConfig config, SecretRotation secrets) {
    return DaggerLambdaComponent.factory()
        .create(() -> config, Tracing.fromEnvironment(System.getenv(), "docpipe-lambda"), secrets);
  }

  static LambdaComponent create(Supplier<DocpipeConfig> config) {
    return create(config, Tracing.fromEnvironment(System.getenv(), "docpipe-lambda"));
  }

  static LambdaComponent create(Supplier<DocpipeConfig> config, Tracing tracing) {
    return DaggerLambdaComponent.factory()
        .create(config, tracing, SecretRotation.none(java.util.Map.of()));
  }

  /** A component for {@code config} (tests; the runtime uses {@link LambdaEnvironment}). */
  static LambdaComponent create(DocpipeConfig config) {
    return create(() -> config);
  }
}
