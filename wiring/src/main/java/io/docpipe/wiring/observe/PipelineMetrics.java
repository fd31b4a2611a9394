package io.docpipe.wiring.observe;

import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.out.IngestionListener;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * The ingestion metrics of {@link MetricNames} in a Prometheus registry the runtime owns (no global
 * state): the Fargate service adds its HTTP metrics to the same registry, the GKE worker serves it
 * alone.
 */
public final class PipelineMetrics implements IngestionListener {

  /** Buckets from 5 ms to 30 s: an embedding call takes tens of ms, a slow API call seconds. */
  public static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

  private final Clock clock;
  private final PrometheusRegistry registry;
  private final Counter documents;
  private final Counter chunksEmbedded;
  private final Histogram embeddingDuration;
  private final Histogram writeDuration;
  private final Counter batchFailures;
  private final Gauge lastProgress;

  public PipelineMetrics(PrometheusRegistry registry, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.clock = Objects.requireNonNull(clock, "clock");
    documents =
        Counter.builder()
            .name(MetricNames.DOCUMENTS)
            .help("Documents that got an outcome, by outcome and failure reason")
            .labelNames(MetricNames.OUTCOME, MetricNames.REASON)
            .register(registry);
    chunksEmbedded = counter(MetricNames.CHUNKS_EMBEDDED, "Chunks embedded during ingestion");
    embeddingDuration =
        latency(MetricNames.EMBEDDING_DURATION, "Time of one embedding call during ingestion");
    writeDuration =
        latency(MetricNames.WRITE_DURATION, "Time of one vector store write during ingestion");
    batchFailures =
        counter(
            MetricNames.BATCH_FAILURES,
            "Batches (job, shard run, SQS batch) that ended with a failed document or unit");
    lastProgress =
        Gauge.builder()
            .name(MetricNames.LAST_PROGRESS)
            .help("Unix time of the last document that got an outcome")
            .unit(Unit.SECONDS)
            .register(registry);
    // Present from the start, so "no progress since" is measured from when the run began.
    lastProgress.set(now());
  }

  private Counter counter(String name, String help) {
    return Counter.builder().name(name).help(help).register(registry);
  }

  private Histogram latency(String name, String help) {
    return Histogram.builder()
        .name(name)
        .help(help)
        .unit(Unit.SECONDS)
        .classicUpperBounds(LATENCY_BUCKETS)
        .register(registry);
  }

  /** The registry these metrics live in. */
  public PrometheusRegistry registry() {
    return registry;
  }

  /** Queue depth is read when scraped, from the queue itself. */
  public void registerQueueDepth(DoubleSupplier queued) {
    GaugeWithCallback.builder()
        .name(MetricNames.QUEUE_DEPTH)
        .help("Accepted ingestion work waiting for a worker")
        .callback(cb -> cb.call(queued.getAsDouble()))
        .register(registry);
  }

  /** A batch ended with at least one failed document or unit. */
  public void batchFailed() {
    batchFailures.inc();
  }

  @Override
  public void documentFinished(DocumentOutcome outcome, Duration took) {
    documents.labelValues(MetricNames.outcome(outcome), MetricNames.reason(outcome)).inc();
    lastProgress.set(now());
  }

  @Override
  public void chunksEmbedded(int chunks, Duration took) {
    chunksEmbedded.inc(chunks);
    embeddingDuration.observe(seconds(took));
  }

  @Override
  public void pointsWritten(int points, Duration took) {
    writeDuration.observe(seconds(took));
  }

  private double now() {
    return clock.millis() / 1000.0;
  }

  static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
