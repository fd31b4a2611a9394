package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.WRITER;
import static io.docpipe.testkit.Commands.onPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.testkit.HttpProbe;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus server (Debian's {@code prometheus}; .ci/run installs it with
 * build/install-debian.sh) on 127.0.0.1 scrapes the real service during an ingest; its HTTP query
 * API then returns the counts the ingest made, under the names every runtime uses. Skipped when the
 * binary is not installed.
 */
class PrometheusScrapeTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path temp;

  @Test
  void anIngest_isScrapedByARealPrometheus_andItsQueryApiReturnsTheCounts() throws Exception {
    assumeTrue(
        onPath("prometheus"),
        "prometheus is not on PATH (Debian package; .ci/run installs it with build/install-debian.sh): real-Prometheus test skipped");
    try (FargateService service =
        TestServices.start(temp.resolve("index"), Map.of(), Runnable::run)) {
      int promPort = freePort();
      Path config = temp.resolve("prometheus.yml");
      Files.writeString(
          config,
          """
          global:
            scrape_interval: 1s
            scrape_timeout: 1s
          scrape_configs:
            - job_name: docpipe-fargate
              metrics_path: /metrics
              static_configs:
                - targets: ["127.0.0.1:%d"]
          """
              .formatted(service.port()));
      Process prometheus =
          new ProcessBuilder(
                  "prometheus",
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + temp.resolve("tsdb"),
                  "--web.listen-address=127.0.0.1:" + promPort,
                  "--log.level=warn")
              .redirectErrorStream(true)
              .redirectOutput(temp.resolve("prometheus.log").toFile())
              .start();
      try {
        String base = "http://127.0.0.1:" + promPort;
        assertThat(
                Poll.until(
                    Duration.ofSeconds(30), () -> get(base + "/-/ready").startsWith("Prometheus")))
            .as("Prometheus ready; its log:\n" + log())
            .isTrue();

        HttpResponse<String> ingest =
            new TestServices.Client(service.port())
                .post(
                    "/v1/documents",
                    WRITER,
                    """
                    {"documents":[
                      {"id":"p/a.md","text":"Lighthouses warn ships of rocks at night.","mediaType":"text/markdown"},
                      {"id":"p/b.md","text":"Bees dance to tell the hive where flowers are.","mediaType":"text/markdown"},
                      {"id":"p/c.md","text":"Granite forms from slowly cooling magma.","mediaType":"text/markdown"},
                      {"id":"p/blank.md","text":"   ","mediaType":"text/markdown"}
                    ]}""");
        assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);

        String indexed = "docpipe_documents_total{job=\"docpipe-fargate\",outcome=\"indexed\"}";
        assertThat(
                Poll.until(Duration.ofSeconds(60), () -> value(base, "sum(" + indexed + ")") == 3))
            .as("Prometheus counted 3 indexed documents; last answer: " + query(base, indexed))
            .isTrue();
        JsonNode failed =
            query(base, "docpipe_documents_total{job=\"docpipe-fargate\",outcome=\"failed\"}");
        assertThat(failed).hasSize(1);
        assertThat(failed.get(0).at("/metric/reason").asText()).isEqualTo("empty");
        assertThat(failed.get(0).at("/value/1").asText()).isEqualTo("1");
        assertThat(value(base, "docpipe_chunks_embedded_total{job=\"docpipe-fargate\"}"))
            .isGreaterThanOrEqualTo(3);
        assertThat(value(base, "docpipe_embedding_duration_seconds_count{job=\"docpipe-fargate\"}"))
            .isGreaterThanOrEqualTo(1);
        assertThat(
                value(
                    base,
                    "sum(docpipe_http_request_duration_seconds_count{job=\"docpipe-fargate\","
                        + "route=\"/v1/documents\",status=\"200\"})"))
            .isEqualTo(1);
        assertThat(value(base, "up{job=\"docpipe-fargate\"}")).isEqualTo(1);
      } finally {
        prometheus.destroy();
        if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
          prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private String log() {
    try {
      return Files.readString(temp.resolve("prometheus.log"));
    } catch (IOException e) {
      return e.toString();
    }
  }

  /** The single value of an instant query, or -1 when it has no result (yet). */
  private static double value(String base, String promql) {
    JsonNode result = query(base, promql);
    return result.size() == 1 ? Double.parseDouble(result.get(0).at("/value/1").asText()) : -1;
  }

  private static JsonNode query(String base, String promql) {
    String body =
        get(base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
    try {
      JsonNode answer = JSON.readTree(body.isEmpty() ? "{}" : body);
      return answer.path("data").path("result");
    } catch (IOException e) {
      throw new AssertionError("not JSON from Prometheus: " + body, e);
    }
  }

  private static String get(String url) {
    return HttpProbe.okBody(URI.create(url));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
