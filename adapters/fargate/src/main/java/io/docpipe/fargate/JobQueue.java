package io.docpipe.fargate;

import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.api.ParsedIngest;
import io.docpipe.api.json.IngestResponseBody;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.IngestReport;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Ingestion jobs accepted with 202: a fixed number of workers and a bounded queue, so a burst of
 * large batches waits in a known amount of memory or is refused (503) instead of piling up. Jobs
 * live in memory: a replaced task forgets them, and a client that lost one resubmits (ingestion is
 * idempotent: unchanged documents are skipped).
 */
final class JobQueue {

  /** Where a job is. */
  enum Status {
    QUEUED,
    RUNNING,
    SUCCEEDED,
    FAILED,
    /** Stopped by a shutdown before it finished; the result holds the documents that were done. */
    INTERRUPTED
  }

  /** A job as clients see it. */
  record JobView(
      String id,
      Status status,
      int documents,
      Instant acceptedAt,
      @Nullable Instant finishedAt,
      @Nullable IngestResponseBody result,
      @Nullable String error) {}

  /** Thrown by {@link #submit} when the queue is full. */
  static final class QueueFullException extends Exception {
    private final String detail;

    QueueFullException(String message) {
      super(message);
      this.detail = message;
    }

    /** What is full, for the client (never null, unlike {@link #getMessage()}'s contract). */
    String detail() {
      return detail;
    }
  }

  private static final System.Logger LOG = System.getLogger(JobQueue.class.getName());

  /** Finished jobs kept for clients to read; older ones are forgotten first. */
  private static final int RETAINED_JOBS = 1000;

  private final io.docpipe.wiring.observe.Tracing tracing;
  private final IngestDocuments ingest;
  private final ServiceMetrics metrics;
  private final ThreadPoolExecutor executor;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger running = new AtomicInteger();
  private final Map<String, JobView> jobs =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JobView> eldest) {
          return size() > RETAINED_JOBS
              && eldest.getValue().status() != Status.QUEUED
              && eldest.getValue().status() != Status.RUNNING;
        }
      };

  JobQueue(
      IngestDocuments ingest,
      ServiceMetrics metrics,
      io.docpipe.wiring.observe.Tracing tracing,
      int workers,
      int capacity) {
    this.tracing = Objects.requireNonNull(tracing, "tracing");
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    AtomicInteger threads = new AtomicInteger();
    this.executor =
        new ThreadPoolExecutor(
            workers,
            workers,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(capacity),
            r -> {
              Thread t = new Thread(r, "docpipe-job-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    metrics.registerQueue(() -> executor.getQueue().size(), running::get);
  }

  /** Accepts a job, or refuses it when {@code capacity} jobs are already waiting. */
  JobView submit(ParsedIngest parsed) throws QueueFullException {
    String id = UUID.randomUUID().toString();
    JobView queued = new JobView(id, Status.QUEUED, parsed.size(), Instant.now(), null, null, null);
    put(queued);
    try {
      io.opentelemetry.context.Context submitted = io.opentelemetry.context.Context.current();
      executor.execute(() -> run(queued, parsed, submitted));
      return queued;
    } catch (RejectedExecutionException e) {
      remove(id);
      metrics.jobFinished("refused");
      throw new QueueFullException(
          "the job queue is full (" + executor.getQueue().size() + " waiting); retry later");
    }
  }

  Optional<JobView> get(String id) {
    synchronized (jobs) {
      return Optional.ofNullable(jobs.get(id));
    }
  }

  int queued() {
    return executor.getQueue().size();
  }

  int running() {
    return running.get();
  }

  /** Takes no more jobs; those accepted keep running. */
  void shutdown() {
    executor.shutdown();
  }

  /** Asks running jobs to stop after their current document; queued ones stop at once. */
  void requestStop() {
    stop.set(true);
  }

  boolean awaitTermination(long millis) throws InterruptedException {
    return executor.awaitTermination(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  private void run(
      JobView queued, ParsedIngest parsed, io.opentelemetry.context.Context submitted) {
    // The job's documents trace under a span of their own, in the trace of the request that
    // submitted it (which has long been answered).
    io.opentelemetry.api.trace.Span span =
        tracing.startSpan("docpipe.job", io.opentelemetry.api.trace.SpanKind.CONSUMER, submitted);
    span.setAttribute("docpipe.job.id", queued.id());
    io.opentelemetry.context.Scope scope = span.makeCurrent();
    try {
      runJob(queued, parsed);
    } finally {
      scope.close();
      span.end();
    }
  }

  private void runJob(JobView queued, ParsedIngest parsed) {
    running.incrementAndGet();
    RequestContext.set("job-" + queued.id());
    put(withStatus(queued, Status.RUNNING, null, null));
    try {
      IngestReport report = ingest.ingest(parsed.command(stop::get));
      boolean complete = report.outcomes().size() == parsed.size();
      Status status = complete ? Status.SUCCEEDED : Status.INTERRUPTED;
      put(withStatus(queued, status, DocpipeHttpApi.ingestResponseBody(report), null));
      metrics.jobFinished(status.name().toLowerCase(java.util.Locale.ROOT));
      if (report.outcomes().stream().anyMatch(DocumentOutcome.Failed.class::isInstance)) {
        metrics.batchFailed();
      }
      LOG.log(
          System.Logger.Level.INFO,
          "job {0} {1}: {2} of {3} documents done",
          queued.id(),
          status,
          report.outcomes().size(),
          parsed.size());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "job " + queued.id() + " failed", e);
      put(
          withStatus(
              queued,
              Status.FAILED,
              null,
              e.getClass().getSimpleName() + ": " + Objects.toString(e.getMessage(), "")));
      metrics.jobFinished("failed");
      metrics.batchFailed();
    } finally {
      running.decrementAndGet();
      RequestContext.clear();
    }
  }

  private static JobView withStatus(
      JobView job, Status status, @Nullable IngestResponseBody result, @Nullable String error) {
    boolean finished = status != Status.QUEUED && status != Status.RUNNING;
    return new JobView(
        job.id(),
        status,
        job.documents(),
        job.acceptedAt(),
        finished ? Instant.now() : null,
        result,
        error);
  }

  private void put(JobView job) {
    synchronized (jobs) {
      jobs.put(job.id(), job);
    }
  }

  private void remove(String id) {
    synchronized (jobs) {
      jobs.remove(id);
    }
  }
}
