package io.docpipe.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.testkit.EmbeddingsStandIn;
import io.docpipe.testkit.HttpProbe;
import io.docpipe.wiring.observe.MetricNames;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker serves the shared metric names for Prometheus and waits for the final scrape. */
class WorkerMetricsTest {

  @TempDir Path temp;

  @Test
  void aShardRun_isScrapedWhileItRuns_andTheWorkerExitsRightAfterTheFinalScrape() throws Exception {
    Path corpus = temp.resolve("corpus");
    List<DocumentId> ids = Workers.corpus(corpus, 12, 7L);
    int port = freePort();
    try (EmbeddingsStandIn embeddings = EmbeddingsStandIn.start(16, "stub")) {
      Map<String, String> env =
          Workers.env(corpus, temp.resolve("index"), temp.resolve("cp"), ShardSpec.whole());
      env.putAll(embeddings.env());
      env.put("DOCPIPE_METRICS_PORT", Integer.toString(port));
      env.put("DOCPIPE_METRICS_LINGER_SECONDS", "120");
      long start = System.nanoTime();
      Process worker = Workers.start(env, temp.resolve("outcomes.log"), temp.resolve("logs"), "w");
      String[] last = {""};
      boolean all =
          Workers.await(
              () -> {
                last[0] = scrape(port);
                return value(last[0], MetricNames.DOCUMENTS, "outcome=\"indexed\",reason=\"none\"")
                        .orElse(0)
                    == ids.size();
              },
              Duration.ofSeconds(90));
      assertThat(all).as("indexed count in the last scrape:\n" + last[0]).isTrue();
      // Scraping on, as Prometheus does: the first scrape after the shard's end lets it exit.
      boolean exited =
          Workers.await(
              () -> {
                String text = scrape(port);
                if (!text.isEmpty()) {
                  last[0] = text;
                }
                return !worker.isAlive();
              },
              Duration.ofSeconds(60));
      assertThat(exited).as("worker exited while being scraped").isTrue();
      assertThat(Workers.exitCode(worker, Duration.ofSeconds(5))).isZero();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("the worker left once scraped, long before its 120 s linger")
          .isLessThan(Duration.ofSeconds(100));
      assertThat(value(last[0], MetricNames.CHUNKS_EMBEDDED, "")).hasValue(ids.size());
      assertThat(value(last[0], MetricNames.BATCH_FAILURES, "")).hasValue(0);
      assertThat(value(last[0], MetricNames.EMBEDDING_DURATION + "_count", "").orElse(0))
          .isGreaterThan(0);
      assertThat(value(last[0], MetricNames.WRITE_DURATION + "_count", "").orElse(0))
          .isGreaterThan(0);
      assertThat(value(last[0], MetricNames.LAST_PROGRESS, "").orElse(0))
          .isGreaterThan(1_700_000_000);
    }
  }

  @Test
  void withNoScraper_theFinalWaitEndsAtTheLinger_andWithNoEndpointAtOnce() {
    try (WorkerMetrics served = WorkerMetrics.serve(0)) {
      long start = System.nanoTime();
      assertThat(served.awaitFinalScrape(Duration.ofMillis(300))).isFalse();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300))
          .isLessThan(Duration.ofSeconds(5));
    }
    WorkerMetrics unserved = WorkerMetrics.unserved();
    assertThat(unserved.port()).isZero();
    assertThat(unserved.awaitFinalScrape(Duration.ofSeconds(60))).isFalse();
  }

  @Test
  void aFailedDocument_isCountedByItsReason() throws Exception {
    try (WorkerMetrics served = WorkerMetrics.serve(0)) {
      served
          .pipeline()
          .documentFinished(
              new DocumentOutcome.Failed(
                  DocumentId.of("x"), io.docpipe.core.model.FailureReason.BINARY, "bin"),
              Duration.ZERO);
      String text = scrape(served.port());
      assertThat(value(text, MetricNames.DOCUMENTS, "outcome=\"failed\",reason=\"binary\""))
          .hasValue(1);
    }
  }

  private static OptionalDouble value(String text, String name, String labels) {
    Pattern p =
        Pattern.compile(
            "^"
                + Pattern.quote(name)
                + (labels.isEmpty() ? "" : "\\{" + Pattern.quote(labels) + "\\}")
                + " (\\S+)$",
            Pattern.MULTILINE);
    Matcher m = p.matcher(text);
    return m.find() ? OptionalDouble.of(Double.parseDouble(m.group(1))) : OptionalDouble.empty();
  }

  private static String scrape(int port) {
    return HttpProbe.okBody(URI.create("http://127.0.0.1:" + port + "/metrics"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
