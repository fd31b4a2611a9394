package io.docpipe.fargate;

import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.out.IngestionListener;
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
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The service's Prometheus metrics, in a registry of its own (no global state): HTTP latency per
 * route, documents and chunks ingested, embedding and write latency, queue depth and jobs.
 */
final class ServiceMetrics implements IngestionListener {

  /** Buckets from 5 ms to 30 s: a search takes tens of ms, a sync batch up to the timeout. */
  private static final double[] LATENCY_BUCKETS = {
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30
  };

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
  private final Counter documents =
      Counter.builder()
          .name("docpipe_documents_total")
          .help("Documents that got an outcome, by outcome (indexed, unchanged, failed, deleted)")
          .labelNames("outcome")
          .register(registry);
  private final Counter chunksEmbedded =
      Counter.builder()
          .name("docpipe_chunks_embedded_total")
          .help("Chunks embedded during ingestion")
          .register(registry);
  private final Histogram embeddingDuration =
      Histogram.builder()
          .name("docpipe_embedding_duration_seconds")
          .help("Time of one embedding call during ingestion")
          .unit(Unit.SECONDS)
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Histogram writeDuration =
      Histogram.builder()
          .name("docpipe_vector_store_write_duration_seconds")
          .help("Time of one vector store write during ingestion")
          .unit(Unit.SECONDS)
          .classicUpperBounds(LATENCY_BUCKETS)
          .register(registry);
  private final Counter jobs =
      Counter.builder()
          .name("docpipe_jobs_total")
          .help("Ingestion jobs by final status, and refused ones (status=refused)")
          .labelNames("status")
          .register(registry);

  ServiceMetrics() {}

  /** Queue depth and running jobs are read when scraped, from the queue itself. */
  void registerQueue(DoubleSupplier queued, DoubleSupplier running) {
    GaugeWithCallback.builder()
        .name("docpipe_job_queue_depth")
        .help("Accepted ingestion jobs waiting for a worker")
        .callback(cb -> cb.call(queued.getAsDouble()))
        .register(registry);
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

  @Override
  public void documentFinished(DocumentOutcome outcome, Duration took) {
    String kind =
        switch (outcome) {
          case DocumentOutcome.Indexed i -> "indexed";
          case DocumentOutcome.Unchanged u -> "unchanged";
          case DocumentOutcome.Failed f -> "failed";
          case DocumentOutcome.Deleted d -> "deleted";
        };
    documents.labelValues(kind).inc();
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
