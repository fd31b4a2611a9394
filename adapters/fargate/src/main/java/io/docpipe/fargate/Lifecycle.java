package io.docpipe.fargate;

import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.DescribeIndex;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.StoreStatus;
import io.docpipe.wiring.EventIngestionModule.FromEvents;
import io.docpipe.wiring.Resources;
import io.helidon.health.HealthCheckResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import javax.inject.Provider;
import javax.inject.Singleton;
import org.jspecify.annotations.Nullable;

/**
 * Where the service is in its life, and what that allows: the warm-up loads the model and the index
 * off the request path ({@link State#STARTING} → {@link State#READY} or {@link State#FAILED}); a
 * drain refuses new work, waits for work in progress ({@link Activity}) and accepted jobs, and
 * closes the index. Liveness and readiness are read from here.
 */
@Singleton
final class Lifecycle {

  /** Where the service is in its life. */
  enum State {
    STARTING,
    READY,
    FAILED,
    DRAINING,
    STOPPED
  }

  /** What the warm-up loaded: the use cases the routes serve, and the job queue. */
  record Loaded(DocpipeHttpApi api, IngestDocuments ingest, DescribeIndex index, JobQueue jobs) {}

  private static final System.Logger LOG = System.getLogger(Lifecycle.class.getName());
  private static final Duration QUIET_PERIOD = Duration.ofMillis(250);

  private final Provider<DocpipeHttpApi> api;
  private final Provider<IngestDocuments> ingest;
  private final Provider<DescribeIndex> index;
  private final Provider<Resources> resources;
  private final FargateSettings settings;
  private final ServiceMetrics metrics;
  private final io.docpipe.wiring.observe.Tracing tracing;
  private final Activity activity = new Activity();
  private final ExecutorService timedWork = Executors.newVirtualThreadPerTaskExecutor();
  private final Instant startedAt = Instant.now();

  private volatile State state = State.STARTING;
  private volatile @Nullable String failure;
  private volatile @Nullable Loaded loaded;

  @Inject
  Lifecycle(
      Provider<DocpipeHttpApi> api,
      @FromEvents Provider<IngestDocuments> ingest,
      Provider<DescribeIndex> index,
      Provider<Resources> resources,
      FargateSettings settings,
      ServiceMetrics metrics,
      io.docpipe.wiring.observe.Tracing tracing) {
    this.tracing = tracing;
    this.api = api;
    this.ingest = ingest;
    this.index = index;
    this.resources = resources;
    this.settings = settings;
    this.metrics = metrics;
  }

  State state() {
    return state;
  }

  /** Why the warm-up failed, for the 503 of every API call. */
  @Nullable String failure() {
    return failure;
  }

  /** What the warm-up loaded; routes behind the readiness gate of {@link ApiFilter} only. */
  Loaded loaded() {
    Loaded now = loaded;
    if (now == null) {
      throw new IllegalStateException("not warmed up: " + state);
    }
    return now;
  }

  /** Requests and timed work in progress: a drain waits for them. */
  Activity activity() {
    return activity;
  }

  /** Runs work that may outlive its request (after a 408); shut down at the end of a drain. */
  ExecutorService timedWork() {
    return timedWork;
  }

  Instant startedAt() {
    return startedAt;
  }

  /** Loads the model and opens the index; the service is ready when this returns normally. */
  void warmUp() {
    long t0 = System.nanoTime();
    try {
      DocpipeHttpApi api = this.api.get();
      IngestDocuments ingest = this.ingest.get();
      DescribeIndex index = this.index.get();
      if (index.checkStore() instanceof StoreStatus.NotAnswering down) {
        throw new IllegalStateException("the vector store does not answer: " + down.reason());
      }
      String model = index.describe().model();
      JobQueue jobs =
          new JobQueue(ingest, metrics, tracing, settings.jobWorkers(), settings.queueCapacity());
      loaded = new Loaded(api, ingest, index, jobs);
      synchronized (this) {
        if (state == State.STARTING) {
          state = State.READY;
        }
      }
      long sinceProcessStart =
          ProcessHandle.current()
              .info()
              .startInstant()
              .map(s -> Duration.between(s, Instant.now()).toMillis())
              .orElse(-1L);
      LOG.log(
          System.Logger.Level.INFO,
          "docpipe ready: model "
              + model
              + " loaded in "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
              + " ms; "
              + sinceProcessStart
              + " ms since process start");
    } catch (RuntimeException e) {
      failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      synchronized (this) {
        if (state == State.STARTING) {
          state = State.FAILED;
        }
      }
      LOG.log(System.Logger.Level.ERROR, "docpipe cannot start: the model or index failed", e);
    }
  }

  // ---- health

  HealthCheckResponse liveness() {
    State now = state;
    return HealthCheckResponse.builder()
        .status(now != State.FAILED)
        .detail("state", now.name().toLowerCase(Locale.ROOT))
        .build();
  }

  HealthCheckResponse readiness() {
    State now = state;
    HealthCheckResponse.Builder response =
        HealthCheckResponse.builder().detail("state", now.name().toLowerCase(Locale.ROOT));
    Loaded ready = loaded;
    if (now != State.READY || ready == null) {
      return response.status(false).build();
    }
    return switch (ready.index().checkStore()) {
      case StoreStatus.Answering a -> response.status(true).build();
      case StoreStatus.NotAnswering down ->
          response.status(false).detail("vectorStore", down.reason()).build();
    };
  }

  // ---- drain

  /** Takes readiness down and refuses new API calls; false when a drain has begun already. */
  synchronized boolean beginDrain() {
    if (state == State.DRAINING || state == State.STOPPED) {
      return false;
    }
    state = State.DRAINING;
    return true;
  }

  /**
   * Lets requests in flight and accepted jobs finish within {@code budget}: after 80% of it,
   * running jobs are asked to stop after their current document.
   *
   * @return whether everything finished in time
   */
  boolean awaitWork(Duration budget) {
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    long stopJobsAt = start + budget.toNanos() * 4 / 5;
    Loaded ready = loaded;
    JobQueue queue = ready == null ? null : ready.jobs();
    try {
      if (queue != null) {
        queue.shutdown();
        if (!queue.awaitTermination(
            TimeUnit.NANOSECONDS.toMillis(stopJobsAt - System.nanoTime()))) {
          LOG.log(System.Logger.Level.WARNING, "jobs still running: asking them to stop");
          queue.requestStop();
          queue.awaitTermination(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }
      }
      boolean clean = activity.awaitIdle(QUIET_PERIOD, deadline);
      return clean && (queue == null || queue.awaitTermination(0));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Once the server has stopped: ends timed work and closes the index and the model. */
  void stop() {
    timedWork.shutdownNow();
    if (loaded != null) {
      resources.get().close(); // asking for it before the warm-up would load the model
    }
    state = State.STOPPED;
  }
}
