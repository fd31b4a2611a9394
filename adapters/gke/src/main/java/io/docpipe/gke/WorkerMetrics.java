package io.docpipe.gke;

import com.sun.net.httpserver.HttpServer;
import io.docpipe.wiring.EnvironmentReader;
import io.docpipe.wiring.observe.PipelineMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The worker's metrics ({@link PipelineMetrics}, the names every runtime uses) served for
 * Prometheus at {@code GET /metrics} on {@code DOCPIPE_METRICS_PORT} while the shard runs; a {@code
 * PodMonitoring} (deploy/k8s/monitoring) scrapes it. A pod of a Job ends, so when the shard is done
 * the worker waits for one more scrape (at most {@code DOCPIPE_METRICS_LINGER_SECONDS}) before it
 * exits, so that its final counts are not lost (ADR 0023).
 */
final class WorkerMetrics implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(WorkerMetrics.class.getName());

  /**
   * @param port {@code DOCPIPE_METRICS_PORT}: 0 (the default outside the image) serves nothing
   * @param linger {@code DOCPIPE_METRICS_LINGER_SECONDS}: the longest wait for the final scrape
   */
  record Settings(int port, Duration linger) {
    static final Settings OFF = new Settings(0, Duration.ZERO);

    static Settings read(EnvironmentReader r) {
      int port = r.integer("DOCPIPE_METRICS_PORT", 0, 0, 65_535);
      int linger = r.integer("DOCPIPE_METRICS_LINGER_SECONDS", 30, 0, 600);
      return new Settings(port, Duration.ofSeconds(linger));
    }
  }

  private final PipelineMetrics metrics;
  private final @Nullable HttpServer server;
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private volatile @Nullable CountDownLatch scrapedAfterEnd;

  private WorkerMetrics(PipelineMetrics metrics, @Nullable HttpServer server) {
    this.metrics = metrics;
    this.server = server;
  }

  /** Metrics without an endpoint (DOCPIPE_METRICS_PORT unset). */
  static WorkerMetrics unserved() {
    return new WorkerMetrics(
        new PipelineMetrics(new PrometheusRegistry(), Clock.systemUTC()), null);
  }

  /** Metrics served on {@code port} of every interface (0: any free port; tests). */
  static WorkerMetrics serve(int port) {
    PipelineMetrics metrics = new PipelineMetrics(new PrometheusRegistry(), Clock.systemUTC());
    HttpServer server;
    try {
      server = HttpServer.create(new InetSocketAddress(port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port, e);
    }
    WorkerMetrics served = new WorkerMetrics(metrics, server);
    server.createContext("/metrics", served::scrape);
    // One daemon thread: a scrape is small, and the endpoint must never keep the JVM alive.
    server.setExecutor(
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "docpipe-metrics");
              t.setDaemon(true);
              return t;
            }));
    server.start();
    return served;
  }

  static WorkerMetrics of(Settings settings) {
    return settings.port() == 0 ? unserved() : serve(settings.port());
  }

  PipelineMetrics pipeline() {
    return metrics;
  }

  /** The port served, or 0 when none. */
  int port() {
    return server == null ? 0 : server.getAddress().getPort();
  }

  private void scrape(com.sun.net.httpserver.HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      ByteArrayOutputStream body = new ByteArrayOutputStream(4096);
      writer.write(body, metrics.registry().scrape());
      exchange.getResponseHeaders().set("Content-Type", writer.getContentType());
      exchange.sendResponseHeaders(200, body.size());
      try (OutputStream out = exchange.getResponseBody()) {
        body.writeTo(out);
      }
    }
    CountDownLatch latch = scrapedAfterEnd;
    if (latch != null) {
      latch.countDown();
    }
  }

  /**
   * The run is over: waits until the endpoint has been scraped once more (so the final counts reach
   * Prometheus), at most {@code linger}. Returns at once when nothing is served.
   *
   * @return whether a scrape came
   */
  boolean awaitFinalScrape(Duration linger) {
    if (server == null || linger.isZero()) {
      return false;
    }
    CountDownLatch latch = new CountDownLatch(1);
    scrapedAfterEnd = latch;
    try {
      boolean scraped = latch.await(linger.toMillis(), TimeUnit.MILLISECONDS);
      if (!scraped) {
        LOG.log(
            System.Logger.Level.INFO,
            "no metrics scrape within {0} s after the shard ended; exiting",
            linger.toSeconds());
      }
      return scraped;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
  }
}
