package io.docpipe.kubernetes;

import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.ShardSpec;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1EventSource;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1ObjectReference;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Events on a Job, posted by one background thread from a small bounded queue: when the API server
 * is slow the newest events are dropped rather than slowing ingestion. Progress is throttled to one
 * event per {@code progressEvery}; failed documents are reported up to {@code maxFailureEvents}.
 */
final class KubernetesJobEvents implements JobEvents {

  private static final System.Logger LOG = System.getLogger(KubernetesJobEvents.class.getName());
  private static final int MAX_MESSAGE = 1024;

  private final CoreV1Api api;
  private final String namespace;
  private final JobRef job;
  private final ShardSpec shard;
  private final Clock clock;
  private final Duration progressEvery;
  private final int maxFailureEvents;
  private final ThreadPoolExecutor sender;
  private final AtomicLong indexed = new AtomicLong();
  private final AtomicLong unchanged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicInteger failureEvents = new AtomicInteger();
  private final AtomicInteger sequence = new AtomicInteger();
  private final AtomicLong lastProgressNanos;
  private final long startNanos = System.nanoTime();

  KubernetesJobEvents(
      ApiClient client,
      String namespace,
      JobRef job,
      ShardSpec shard,
      Clock clock,
      Duration progressEvery,
      int maxFailureEvents) {
    this.api = new CoreV1Api(client);
    this.namespace = namespace;
    this.job = job;
    this.shard = shard;
    this.clock = clock;
    this.progressEvery = progressEvery;
    this.maxFailureEvents = maxFailureEvents;
    this.lastProgressNanos = new AtomicLong(startNanos);
    this.sender =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(32),
            r -> {
              Thread t = new Thread(r, "docpipe-job-events");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.DiscardPolicy());
  }

  @Override
  public void documentFinished(DocumentOutcome outcome, Duration took) {
    switch (outcome) {
      case DocumentOutcome.Indexed i -> indexed.incrementAndGet();
      case DocumentOutcome.Unchanged u -> unchanged.incrementAndGet();
      case DocumentOutcome.Deleted d -> {}
      case DocumentOutcome.Failed f -> {
        failed.incrementAndGet();
        if (failureEvents.incrementAndGet() <= maxFailureEvents) {
          post(
              "DocumentFailed",
              f.documentId()
                  + ": "
                  + f.reason().name().toLowerCase(Locale.ROOT)
                  + ": "
                  + f.detail(),
              true);
        }
      }
    }
    long now = System.nanoTime();
    long last = lastProgressNanos.get();
    if (now - last >= progressEvery.toNanos() && lastProgressNanos.compareAndSet(last, now)) {
      post("ShardProgress", progressLine(), false);
    }
  }

  private String progressLine() {
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long done = indexed.get() + unchanged.get() + failed.get();
    return String.format(
        Locale.ROOT,
        "shard %s: %d indexed, %d unchanged, %d failed in this run (%.1f docs/s)",
        shard,
        indexed.get(),
        unchanged.get(),
        failed.get(),
        done / seconds);
  }

  @Override
  public void runEnded(String reason, String message, boolean warning) {
    post(reason, "shard " + shard + ": " + message, warning);
  }

  private void post(String reason, String message, boolean warning) {
    Instant now = clock.instant();
    OffsetDateTime time = OffsetDateTime.ofInstant(now, ZoneOffset.UTC);
    String text = message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) : message;
    CoreV1Event event =
        new CoreV1Event()
            .apiVersion("v1")
            .kind("Event")
            .metadata(
                new V1ObjectMeta()
                    .name(eventName(now))
                    .namespace(namespace)
                    .putLabelsItem("app.kubernetes.io/name", "docpipe"))
            .involvedObject(
                new V1ObjectReference()
                    .apiVersion("batch/v1")
                    .kind("Job")
                    .name(job.name())
                    .namespace(namespace)
                    .uid(job.uid().orElse(null)))
            .reason(reason)
            .message(text)
            .type(warning ? "Warning" : "Normal")
            .count(1)
            .firstTimestamp(time)
            .lastTimestamp(time)
            .source(new V1EventSource().component("docpipe-gke-worker"))
            .reportingComponent("docpipe-gke-worker")
            .reportingInstance(job.name() + "-" + shard.index());
    sender.execute(
        () -> {
          try {
            api.createNamespacedEvent(namespace, event).execute();
          } catch (ApiException | RuntimeException e) {
            LOG.log(
                System.Logger.Level.WARNING,
                "could not post event {0} on Job {1}: {2}",
                reason,
                job.name(),
                e instanceof ApiException a ? "HTTP " + a.getCode() : e.toString());
          }
        });
  }

  /** Unique per worker: Job name, shard, time and a sequence number. */
  private String eventName(Instant now) {
    String suffix =
        "."
            + shard.index()
            + "."
            + Long.toHexString(now.toEpochMilli())
            + sequence.getAndIncrement();
    String base = job.name();
    int room = 253 - suffix.length();
    return (base.length() > room ? base.substring(0, room) : base) + suffix;
  }

  @Override
  public void close() {
    if (indexed.get() + unchanged.get() + failed.get() > 0) {
      post("ShardProgress", progressLine(), false);
    }
    sender.shutdown();
    try {
      if (!sender.awaitTermination(5, TimeUnit.SECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      sender.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
