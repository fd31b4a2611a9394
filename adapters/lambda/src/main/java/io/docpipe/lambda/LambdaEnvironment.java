package io.docpipe.lambda;

import io.docpipe.api.ApiLimits;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.wiring.Corpus;
import io.docpipe.wiring.DocpipeConfig;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one Lambda execution environment keeps between invocations: the component (model session,
 * index, clients) and the objects the handlers use, all built once. The handlers' public
 * constructors take {@link #get()}, built from the process environment on first use; tests build
 * their own with {@link #create(DocpipeConfig)}.
 */
final class LambdaEnvironment {

  private static final System.Logger LOG = System.getLogger(LambdaEnvironment.class.getName());

  private final LambdaComponent component;
  private final BatchRunner batches;
  private final EventMessages messages;
  private final DocpipeHttpApi http;
  private final SnapStartHooks snapStart;

  /** The one environment of this JVM; the only mutable static, as Lambda's model intends. */
  private static @Nullable LambdaEnvironment instance;

  private LambdaEnvironment(DocpipeConfig config) {
    this.component =
        DaggerLambdaComponent.factory()
            .create(Objects.requireNonNull(config), new LoggingListener());
    IngestDocuments ingest =
        component
            .corpusRun()
            .create(Corpus.forEvents(config, component.documentSources()))
            .ingest();
    this.batches = new BatchRunner(ingest, component.delete());
    this.http =
        new DocpipeHttpApi(ingest, component.search(), component.delete(), ApiLimits.defaults());
    this.messages = new EventMessages(http);
    this.snapStart = new SnapStartHooks(this);
  }

  /**
   * The execution environment's single instance, built from {@code DOCPIPE_*} on first use. Not a
   * class initialiser: a configuration error must reach Lambda's init error report as itself, not
   * as an {@link ExceptionInInitializerError} without its message.
   *
   * @throws io.docpipe.wiring.ConfigException naming every invalid variable
   */
  static synchronized LambdaEnvironment get() {
    if (instance == null) {
      long start = System.nanoTime();
      LambdaEnvironment environment =
          new LambdaEnvironment(DocpipeConfig.fromEnvironment(System.getenv()));
      LOG.log(
          System.Logger.Level.INFO,
          "docpipe environment ready in {0} ms",
          (System.nanoTime() - start) / 1_000_000);
      environment.snapStart.register();
      Runtime.getRuntime()
          .addShutdownHook(new Thread(environment::close, "docpipe-lambda-shutdown"));
      instance = environment;
    }
    return instance;
  }

  /** A new environment (tests; the runtime uses {@link #get()}). */
  static LambdaEnvironment create(DocpipeConfig config) {
    return new LambdaEnvironment(config);
  }

  BatchRunner batches() {
    return batches;
  }

  EventMessages messages() {
    return messages;
  }

  DocpipeHttpApi http() {
    return http;
  }

  LambdaComponent component() {
    return component;
  }

  /** Closes the index and the model session; closing twice is harmless. */
  void close() {
    component.resources().close();
  }
}
