package io.docpipe.gke;

import static io.docpipe.testkit.Commands.onPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.wiring.observe.MetricNames;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/k8s/monitoring: the alert rules pass {@code promtool check rules} and their unit tests
 * ({@code promtool test rules}), the Managed Prometheus {@code Rules} object holds exactly the
 * rules file's groups, and the PodMonitoring scrapes the Job's pods on the port the image serves.
 */
class MonitoringFilesTest {

  private static final Path REPO = Path.of(System.getProperty("docpipe.repo.dir", "../.."));
  private static final Path MONITORING = REPO.resolve("deploy/k8s/monitoring");
  private static final Path RULES = MONITORING.resolve("docpipe-alerts.rules.yml");

  @Test
  void theRulesObject_holdsExactlyTheGroupsOfTheRulesFile() throws IOException {
    Map<String, Object> raw = load(RULES).get(0);
    Map<String, Object> object = load(MONITORING.resolve("rules.yaml")).get(0);
    assertThat(object.get("kind")).isEqualTo("Rules");
    assertThat(object.get("apiVersion")).isEqualTo("monitoring.googleapis.com/v1");
    assertThat(map(object.get("spec")).get("groups")).isEqualTo(raw.get("groups"));
    assertThat(raw.get("groups").toString())
        .contains("DocpipeShardFailed", "DocpipeShardStalled", "QdrantDown");
  }

  @Test
  void theAlertRules_passPromtoolsCheck_andTheirUnitTests(@TempDir Path temp) throws Exception {
    assumeTrue(
        onPath("promtool"),
        "promtool is not on PATH (Debian's prometheus package): alert rules not checked");
    assertThat(promtool(temp, "check", "rules", RULES.toString())).contains("SUCCESS");
    assertThat(
            promtool(
                temp, "test", "rules", MONITORING.resolve("docpipe-alerts.test.yml").toString()))
        .contains("SUCCESS");
  }

  @Test
  void theIndexerPodMonitoring_selectsTheJobsPods_onThePortTheImageServes() throws IOException {
    Map<String, Object> indexer =
        load(MONITORING.resolve("podmonitoring.yaml")).stream()
            .filter(d -> "docpipe-indexer".equals(map(d.get("metadata")).get("name")))
            .findFirst()
            .orElseThrow();
    Map<String, Object> spec = map(indexer.get("spec"));
    Map<String, Object> selector = map(map(spec.get("selector")).get("matchLabels"));
    for (String overlay : List.of("job/job.yaml", "nightly/cronjob.yaml")) {
      String manifest = Files.readString(REPO.resolve("deploy/k8s/overlays").resolve(overlay));
      for (Map.Entry<String, Object> label : selector.entrySet()) {
        assertThat(manifest).as(overlay).contains(label.getKey() + ": " + label.getValue());
      }
    }
    Object port = map(((List<?>) spec.get("endpoints")).get(0)).get("port");
    String pom = Files.readString(REPO.resolve("adapters/gke/pom.xml"));
    assertThat(pom).contains("<DOCPIPE_METRICS_PORT>" + port + "</DOCPIPE_METRICS_PORT>");
  }

  @Test
  void theDashboardsQueries_areValidPromQl_overTheNamesTheRuntimesExport(@TempDir Path temp)
      throws Exception {
    JsonNode dashboard = new ObjectMapper().readTree(MONITORING.resolve("dashboard.json").toFile());
    List<String> queries = new ArrayList<>();
    dashboard.findValues("prometheusQuery").forEach(q -> queries.add(q.asText()));
    assertThat(queries).hasSizeGreaterThanOrEqualTo(8);
    Pattern metric = Pattern.compile("\\b(docpipe_[a-z_]+|up)\\b");
    java.util.Set<String> known =
        java.util.Set.of(
            MetricNames.DOCUMENTS,
            MetricNames.CHUNKS_EMBEDDED,
            MetricNames.EMBEDDING_DURATION + "_bucket",
            MetricNames.WRITE_DURATION + "_bucket",
            MetricNames.BATCH_FAILURES,
            MetricNames.QUEUE_DEPTH,
            MetricNames.LAST_PROGRESS,
            "docpipe_http_request_duration_seconds_count",
            "up");
    for (String q : queries) {
      Matcher m = metric.matcher(q);
      assertThat(m.find()).as(q).isTrue();
      do {
        assertThat(known).as("a metric the runtimes export, in " + q).contains(m.group(1));
      } while (m.find());
    }
    assumeTrue(
        onPath("promtool"),
        "promtool is not on PATH (Debian's prometheus package): dashboard queries not parsed");
    // promtool parses every expression of a rules file: each query becomes a recording rule.
    StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
    for (int i = 0; i < queries.size(); i++) {
      rules
          .append("      - record: dashboard:query")
          .append(i)
          .append("\n        expr: '")
          .append(queries.get(i).replace("'", "''"))
          .append("'\n");
    }
    Path file = temp.resolve("dashboard-queries.rules.yml");
    Files.writeString(file, rules);
    assertThat(promtool(temp, "check", "rules", file.toString())).contains("SUCCESS");
  }

  private static String promtool(Path temp, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("promtool"));
    command.addAll(List.of(args));
    Path out = temp.resolve("promtool.out");
    Process p =
        new ProcessBuilder(command)
            .directory(MONITORING.toFile())
            .redirectErrorStream(true)
            .redirectOutput(out.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("promtool " + String.join(" ", args) + " took over 60 s");
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("promtool " + String.join(" ", args) + ":\n" + output).isZero();
    return output;
  }

  private static List<Map<String, Object>> load(Path file) throws IOException {
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object doc : new Yaml().loadAll(Files.readString(file))) {
      if (doc != null) {
        docs.add(map(doc));
      }
    }
    return docs;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }
}
