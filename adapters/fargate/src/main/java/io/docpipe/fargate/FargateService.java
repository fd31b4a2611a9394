package io.docpipe.fargate;

import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP service: a Helidon SE 4 server over the shared JSON API, adding what a long-lived task
 * needs — jobs for large batches, limits, bearer auth, health, metrics, request ids and a drain for
 * SIGTERM. Built as Helidon's SE examples are: {@link #routing} registers one {@code HttpService}
 * per resource behind one {@link ApiFilter}; {@link Errors} maps every failure to a problem; the
 * {@link Lifecycle} holds the state the health checks and the drain read.
 *
 * <p>{@link #start} listens at once and loads the model and the index on the warm-up executor;
 * until that is done API calls get 503 and readiness is down. {@link #drain} takes readiness down,
 * answers new API calls 503, lets requests and accepted jobs finish within the budget, then stops
 * the server and closes the index.
 */
final class FargateService implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(FargateService.class.getName());

  private final FargateSettings settings;
  private final Lifecycle lifecycle;
  private final io.docpipe.wiring.observe.Tracing tracing;
  private final WebServer server;
  private final CountDownLatch stopped = new CountDownLatch(1);

  private FargateService(FargateComponent component) {
    this.settings = component.settings();
    this.lifecycle = component.lifecycle();
    this.tracing = component.tracing();
    HealthObserver health =
        HealthObserver.builder()
            .endpoint("health")
            .details(true)
            .useSystemServices(false)
            .addCheck(lifecycle::liveness, HealthCheckType.LIVENESS, "docpipe")
            .addCheck(lifecycle::readiness, HealthCheckType.READINESS, "docpipe")
            .build();
    this.server =
        WebServer.builder()
            .host(settings.host())
            .port(settings.port())
            .shutdownHook(false)
            .featuresDiscoverServices(false)
            .directHandlers(Errors.directHandlers())
            .addFeature(ObserveFeature.builder().endpoint("/").addObserver(health).build())
            .routing(routing -> routing(routing, component))
            .build();
  }

  /** Every route of the service, behind the API filter; tests build a server from it too. */
  static void routing(HttpRouting.Builder routing, FargateComponent component) {
    FargateSettings settings = component.settings();
    Lifecycle lifecycle = component.lifecycle();
    TimedWork timed = new TimedWork(lifecycle, settings.requestTimeout());
    routing
        .addFilter(
            new ApiFilter(
                settings,
                component.metrics(),
                lifecycle,
                component.admission(),
                component.tracing()))
        .register(
            new DocumentsService(lifecycle, timed, settings),
            new SearchService(lifecycle, timed, settings),
            new JobsService(lifecycle),
            new StatsService(lifecycle),
            new OpenApiService(),
            new MetricsService(component.metrics()));
    Errors.register(routing);
  }

  /**
   * Starts listening now and loads the model and the index on {@code warmUp}; the service is ready
   * when that is done.
   */
  static FargateService start(FargateComponent component, Executor warmUp) {
    FargateService service = new FargateService(component);
    service.server.start();
    LOG.log(
        System.Logger.Level.INFO,
        "docpipe listening on port " + service.port() + " (" + service.settings + ")");
    warmUp.execute(service.lifecycle::warmUp);
    return service;
  }

  public int port() {
    return server.port();
  }

  Lifecycle.State state() {
    return lifecycle.state();
  }

  /**
   * Drains and stops: readiness goes down and new API calls get 503 at once; requests in flight and
   * accepted jobs get {@code budget}: after 80% of it, running jobs are asked to stop after their
   * current document. Then the server stops and the index is closed.
   *
   * @return whether everything finished within the budget
   */
  public boolean drain(Duration budget) {
    if (!lifecycle.beginDrain()) {
      return true;
    }
    long start = System.nanoTime();
    LOG.log(
        System.Logger.Level.INFO,
        "draining: readiness down, new requests refused; budget " + budget.toMillis() + " ms");
    boolean clean = lifecycle.awaitWork(budget);
    server.stop();
    lifecycle.stop();
    tracing.close(); // what is queued goes out, within about two seconds
    if (tracing.droppedSpans() + tracing.failedSpans() > 0) {
      LOG.log(
          System.Logger.Level.WARNING,
          "traces: {0} spans exported, {1} dropped (queue full), {2} failed to export",
          tracing.exportedSpans(),
          tracing.droppedSpans(),
          tracing.failedSpans());
    }
    stopped.countDown();
    LOG.log(
        clean ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
        "stopped after "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            + " ms drain; "
            + (clean
                ? "all work finished"
                : lifecycle.activity().active() + " requests cut short"));
    return clean;
  }

  /** Blocks until {@link #drain} has stopped the service (the main thread waits here). */
  public void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Drains with the configured budget. */
  @Override
  public void close() {
    drain(settings.drainBudget());
  }
}
