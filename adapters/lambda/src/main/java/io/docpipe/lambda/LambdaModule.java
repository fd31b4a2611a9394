package io.docpipe.lambda;

import dagger.Module;
import dagger.Provides;
import io.docpipe.api.ApiLimits;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.EventIngestionModule.FromEvents;
import io.docpipe.wiring.Resources;
import io.docpipe.wiring.observe.Listeners;
import io.docpipe.wiring.observe.Tracing;
import java.util.function.Supplier;
import javax.inject.Provider;
import javax.inject.Singleton;

/** The Lambda handlers' own parts: batches of events, queue messages, the HTTP API, the hooks. */
@Module
abstract class LambdaModule {

  private static final System.Logger LOG = System.getLogger(LambdaModule.class.getName());

  private LambdaModule() {}

  /** Read when the graph is first built, not when the component is created. */
  @Provides
  @Singleton
  static DocpipeConfig config(Supplier<DocpipeConfig> config) {
    return config.get();
  }

  /** One per execution environment: an invocation's metrics, drained when it ends. */
  @Provides
  @Singleton
  static EmfMetrics emf() {
    return new EmfMetrics(
        java.util.Objects.requireNonNullElse(System.getenv("AWS_LAMBDA_FUNCTION_NAME"), ""),
        java.time.Clock.systemUTC());
  }

  @Provides
  static IngestionListener listener(EmfMetrics emf, Tracing tracing) {
    return Listeners.all(new LoggingListener(), emf, tracing.listener());
  }

  @Provides
  @Singleton
  static BatchRunner batches(@FromEvents IngestDocuments ingest, DeleteDocuments delete) {
    return new BatchRunner(ingest, delete);
  }

  @Provides
  @Singleton
  static DocpipeHttpApi http(
      @FromEvents IngestDocuments ingest, SearchDocuments search, DeleteDocuments delete) {
    return new DocpipeHttpApi(ingest, search, delete, ApiLimits.defaults());
  }

  @Provides
  @Singleton
  static EventMessages messages(DocpipeHttpApi http) {
    return new EventMessages(http);
  }

  /**
   * Builds every part the handlers use (timed), then registers the environment's hooks. (An
   * init-time run of one search event through the handler, while the model and the index opened on
   * another thread, gave no measurable gain and was removed: ADR 0033.)
   */
  @Provides
  @Singleton
  static ExecutionEnvironment executionEnvironment(
      Provider<BatchRunner> batches,
      Provider<EventMessages> messages,
      Provider<DocpipeHttpApi> http,
      Provider<SearchDocuments> search,
      Provider<Resources> resources) {
    long start = System.nanoTime();
    batches.get();
    SnapStartHooks snapStart = new SnapStartHooks(search.get(), messages.get(), http.get());
    Resources built = resources.get();
    long millis = (System.nanoTime() - start) / 1_000_000;
    // Concatenated, not a "{0}" pattern: the log's formatter would format the number with a
    // MessageFormat, and a cold start would pay for its number formats and locale data.
    LOG.log(System.Logger.Level.INFO, () -> "docpipe environment ready in " + millis + " ms");
    ExecutionEnvironment environment = new ExecutionEnvironment(snapStart);
    snapStart.register();
    Runtime.getRuntime().addShutdownHook(new Thread(built::close, "docpipe-lambda-shutdown"));
    return environment;
  }
}
