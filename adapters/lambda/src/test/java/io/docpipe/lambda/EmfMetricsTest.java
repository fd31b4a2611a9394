package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.sqsEvent;
import static io.docpipe.lambda.AwsEvents.sqsRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.FailureReason;
import io.docpipe.wiring.observe.MetricNames;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Lambda runtime's metrics are EMF lines that CloudWatch accepts, with the shared names. */
class EmfMetricsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Clock CLOCK =
      Clock.fixed(Instant.ofEpochMilli(1_765_000_000_123L), ZoneOffset.UTC);

  @Test
  void anInvocation_becomesEmfLines_thatValidate_withUnitsAndDimensions() throws Exception {
    EmfMetrics emf = new EmfMetrics("docpipe-ingest", CLOCK);
    emf.documentFinished(new DocumentOutcome.Indexed(DocumentId.of("a"), 3), Duration.ofMillis(5));
    emf.documentFinished(new DocumentOutcome.Indexed(DocumentId.of("b"), 1), Duration.ofMillis(5));
    emf.documentFinished(
        new DocumentOutcome.Failed(DocumentId.of("c"), FailureReason.TOO_LARGE, "big"),
        Duration.ofMillis(1));
    emf.chunksEmbedded(4, Duration.ofMillis(250));
    emf.pointsWritten(4, Duration.ofMillis(20));
    emf.batchFailed();

    List<String> lines = emf.drain();

    for (String line : lines) {
      assertThat(EmfSpec.violations(line)).as(line).isEmpty();
    }
    assertThat(lines).hasSize(3);
    JsonNode totals = JSON.readTree(lines.get(0));
    assertThat(totals.at("/_aws/Timestamp").asLong()).isEqualTo(1_765_000_000_123L);
    assertThat(totals.at("/_aws/CloudWatchMetrics/0/Namespace").asText()).isEqualTo("docpipe");
    assertThat(totals.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
        .isEqualTo("[[\"FunctionName\"]]");
    assertThat(totals.get("FunctionName").asText()).isEqualTo("docpipe-ingest");
    assertThat(units(totals))
        .containsEntry(MetricNames.DOCUMENTS, "Count")
        .containsEntry(MetricNames.CHUNKS_EMBEDDED, "Count")
        .containsEntry(MetricNames.BATCH_FAILURES, "Count")
        .containsEntry(MetricNames.EMBEDDING_DURATION, "Seconds")
        .containsEntry(MetricNames.WRITE_DURATION, "Seconds");
    assertThat(totals.get(MetricNames.DOCUMENTS).asLong()).isEqualTo(3);
    assertThat(totals.get(MetricNames.CHUNKS_EMBEDDED).asLong()).isEqualTo(4);
    assertThat(totals.get(MetricNames.BATCH_FAILURES).asLong()).isEqualTo(1);
    assertThat(totals.get(MetricNames.EMBEDDING_DURATION).toString()).isEqualTo("[0.25]");
    assertThat(totals.get(MetricNames.WRITE_DURATION).toString()).isEqualTo("[0.02]");

    Map<String, Long> byOutcome = new HashMap<>();
    for (String line : lines.subList(1, 3)) {
      JsonNode n = JSON.readTree(line);
      assertThat(n.at("/_aws/CloudWatchMetrics/0/Dimensions").toString())
          .isEqualTo("[[\"FunctionName\",\"outcome\",\"reason\"]]");
      byOutcome.put(
          n.get("outcome").asText() + "/" + n.get("reason").asText(),
          n.get(MetricNames.DOCUMENTS).asLong());
    }
    assertThat(byOutcome).isEqualTo(Map.of("indexed/none", 2L, "failed/too_large", 1L));
    assertThat(emf.drain()).as("drained: the next invocation starts from nothing").isEmpty();
  }

  @Test
  void moreLatencySamplesThanEmfAllowsInOneArray_continueOnFurtherValidLines() {
    EmfMetrics emf = new EmfMetrics("f", CLOCK);
    for (int i = 0; i < 250; i++) {
      emf.chunksEmbedded(1, Duration.ofMillis(i));
    }
    List<String> lines = emf.drain();
    int samples = 0;
    for (String line : lines) {
      assertThat(EmfSpec.violations(line)).as(line).isEmpty();
      JsonNode values = readTree(line).get(MetricNames.EMBEDDING_DURATION);
      samples += values == null ? 0 : values.size();
    }
    assertThat(lines).hasSize(3);
    assertThat(samples).isEqualTo(250);
  }

  @Test
  void theValidator_catchesWhatCloudWatchWouldReject() {
    String good =
        "{\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\","
            + "\"Dimensions\":[[\"F\"]],\"Metrics\":[{\"Name\":\"m\",\"Unit\":\"Count\"}]}]},"
            + "\"F\":\"x\",\"m\":1}";
    assertThat(EmfSpec.violations(good)).isEmpty();
    assertThat(EmfSpec.violations(good.replace("\"Count\"", "\"count\""))).hasSize(1);
    assertThat(EmfSpec.violations(good.replace("\"F\":\"x\"", "\"F\":7"))).hasSize(1);
    assertThat(EmfSpec.violations(good.replace("\"m\":1", "\"m\":\"1\""))).hasSize(1);
    assertThat(EmfSpec.violations(good.replace("\"Timestamp\":1,", ""))).hasSize(1);
  }

  @Test
  void anSqsBatchWithAFailedMessage_logsItsMetrics_andCountsOneFailedBatch(@TempDir Path dir)
      throws Exception {
    try (LambdaComponent environment = TestEnvironments.create(dir)) {
      SqsHandler handler = new SqsHandler(environment);
      String inline =
          "{\"documents\":[{\"id\":\"emf/a.md\",\"text\":\"Tides follow the moon.\","
              + "\"mediaType\":\"text/markdown\"}]}";
      handler.handle(
          sqsEvent(List.of(sqsRecord("m1", inline, false), sqsRecord("m2", "not json", false))),
          () -> false);
      List<String> lines = environment.emf().drain();
      List<JsonNode> nodes = new ArrayList<>();
      for (String line : lines) {
        assertThat(EmfSpec.violations(line)).as(line).isEmpty();
        nodes.add(readTree(line));
      }
      assertThat(nodes.get(0).get(MetricNames.BATCH_FAILURES).asLong()).isEqualTo(1);
      assertThat(nodes.get(0).get(MetricNames.CHUNKS_EMBEDDED).asLong()).isEqualTo(1);
      assertThat(nodes)
          .anyMatch(
              n ->
                  "indexed".equals(n.path("outcome").asText())
                      && n.get(MetricNames.DOCUMENTS).asLong() == 1);
    }
  }

  private static Map<String, String> units(JsonNode line) {
    Map<String, String> units = new HashMap<>();
    for (JsonNode def : line.at("/_aws/CloudWatchMetrics/0/Metrics")) {
      units.put(def.get("Name").asText(), def.get("Unit").asText());
    }
    return units;
  }

  private static JsonNode readTree(String line) {
    try {
      return JSON.readTree(line);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
