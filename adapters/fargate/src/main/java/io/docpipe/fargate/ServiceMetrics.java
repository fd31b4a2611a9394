package io.docpipe.fargate;

import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.observe.PipelineMetrics;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The service's Prometheus metrics, in a registry of its own (no global state): HTTP latency per
 * route and jobs, beside the ingestion metrics every runtime reports ({@link PipelineMetrics}).
 */
final class ServiceMetrics implements IngestionListener {

  /** Buckets from 5 ms to 30 s: a search takes tens of ms, a sync batch up to the timeout. */
  private static final double[] LATENCY_BUCKETS = PipelineMetrics.LATENCY_BUCKETS;

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

  private final Histogram requestDuration =
      Histogram.builder()
          .name("docpipe_http_request_duration_seconds")
          .help("Time to answer an HTTP request, by route template, method and status")
          .unit(Unit.SECONDS)
          .classicUpperBounds(LATENCY_BUCKETS)
          .labelNames("route", "method", "status")
          .register(registry);
  private final Gauge inFlight =
      Gauge.builder()
          .name("docpipe_http_requests_in_flight")
          .help("API requests being served now")
          .register(registry);
  private final Counter jobs =
      Counter.builder()
          .name("docpipe_jobs_total")
          .help("Ingestion jobs by final status, and refused ones (status=refused)")
          .labelNames("status")
          .register(registry);

  /** The ingestion metrics every runtime reports under the same names, in this registry. */
  private final PipelineMetrics pipeline = new PipelineMetrics(registry, Clock.systemUTC());

  ServiceMetrics() {}

  /** Queue depth and running jobs are read when scraped, from the queue itself. */
  void registerQueue(DoubleSupplier queued, DoubleSupplier running) {
    pipeline.registerQueueDepth(queued);
    GaugeWithCallback.builder()
        .name("docpipe_jobs_running")
        .help("Ingestion jobs running now")
        .callback(cb -> cb.call(running.getAsDouble()))
        .register(registry);
  }

  void requestStarted() {
    inFlight.inc();
  }

  void requestFinished() {
    inFlight.dec();
  }

  void requestObserved(String route, String method, int status, Duration took) {
    requestDuration.labelValues(route, method, Integer.toString(status)).observe(seconds(took));
  }

  void jobFinished(String status) {
    jobs.labelValues(status).inc();
  }

  /** A job ended with a failed document, or failed as a whole. */
  void batchFailed() {
    pipeline.batchFailed();
  }

  @Override
  public void documentFinished(DocumentOutcome outcome, Duration took) {
    pipeline.documentFinished(outcome, took);
  }

  @Override
  public void chunksEmbedded(int chunks, Duration took) {
    pipeline.chunksEmbedded(chunks, took);
  }

  @Override
  public void pointsWritten(int points, Duration took) {
    pipeline.pointsWritten(points, took);
  }

  /** The text exposition format (version 0.0.4). */
  byte[] scrape() {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
    try {
      writer.write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  String contentType() {
    return writer.getContentType();
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }
}
