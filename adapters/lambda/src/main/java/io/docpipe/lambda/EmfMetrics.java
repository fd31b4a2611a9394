package io.docpipe.lambda;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.api.StrictJson;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.observe.MetricNames;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The ingestion metrics of one invocation as CloudWatch Embedded Metric Format log lines:
 * CloudWatch Logs turns each line into metric values, with no agent and no API call in the function
 * (ADR 0023). The names are {@link MetricNames}, the ones Prometheus shows for Fargate and GKE.
 *
 * <p>Collected while an invocation runs and {@linkplain #drain() drained} when it ends. One line
 * carries the invocation's totals and latency samples under the dimension {@code FunctionName}; one
 * line per outcome and reason carries the document count under {@code FunctionName, outcome,
 * reason}. A directive's dimension set applies to all of its metrics, hence the separate lines.
 * Latency samples beyond EMF's 100 values per metric continue on further lines.
 */
final class EmfMetrics implements IngestionListener {

  static final String NAMESPACE = "docpipe";
  static final String FUNCTION_NAME = "FunctionName";

  /** EMF: "arrays MUST NOT contain more than 100 values". */
  static final int MAX_VALUES = 100;

  private final String functionName;
  private final Clock clock;

  private final Map<List<String>, Long> documents = new TreeMap<>(EmfMetrics::compare);
  private long chunksEmbedded;
  private final List<Double> embedSeconds = new ArrayList<>();
  private final List<Double> writeSeconds = new ArrayList<>();
  private boolean batchFailed;

  EmfMetrics(String functionName, Clock clock) {
    this.functionName = functionName.isEmpty() ? "docpipe" : functionName;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized void documentFinished(DocumentOutcome outcome, Duration took) {
    documents.merge(
        List.of(MetricNames.outcome(outcome), MetricNames.reason(outcome)), 1L, Long::sum);
  }

  @Override
  public synchronized void chunksEmbedded(int chunks, Duration took) {
    chunksEmbedded += chunks;
    embedSeconds.add(seconds(took));
  }

  @Override
  public synchronized void pointsWritten(int points, Duration took) {
    writeSeconds.add(seconds(took));
  }

  /** The invocation's batch (SQS messages, S3 records) had at least one failed unit. */
  synchronized void batchFailed() {
    batchFailed = true;
  }

  /** The EMF lines of everything since the last drain (none when nothing happened), then reset. */
  synchronized List<String> drain() {
    if (documents.isEmpty() && embedSeconds.isEmpty() && writeSeconds.isEmpty() && !batchFailed) {
      return List.of();
    }
    long now = clock.millis();
    List<String> lines = new ArrayList<>();
    ObjectNode totals = document(now, List.of(FUNCTION_NAME));
    long documentCount = documents.values().stream().mapToLong(Long::longValue).sum();
    metric(totals, MetricNames.DOCUMENTS, "Count").put(MetricNames.DOCUMENTS, documentCount);
    metric(totals, MetricNames.CHUNKS_EMBEDDED, "Count")
        .put(MetricNames.CHUNKS_EMBEDDED, chunksEmbedded);
    metric(totals, MetricNames.BATCH_FAILURES, "Count")
        .put(MetricNames.BATCH_FAILURES, batchFailed ? 1 : 0);
    int samples = Math.max(embedSeconds.size(), writeSeconds.size());
    for (int from = 0; from == 0 || from < samples; from += MAX_VALUES) {
      ObjectNode line = from == 0 ? totals : document(now, List.of(FUNCTION_NAME));
      values(line, MetricNames.EMBEDDING_DURATION, embedSeconds, from);
      values(line, MetricNames.WRITE_DURATION, writeSeconds, from);
      lines.add(write(line));
    }
    for (Map.Entry<List<String>, Long> e : documents.entrySet()) {
      ObjectNode line =
          document(now, List.of(FUNCTION_NAME, MetricNames.OUTCOME, MetricNames.REASON));
      line.put(MetricNames.OUTCOME, e.getKey().get(0));
      line.put(MetricNames.REASON, e.getKey().get(1));
      metric(line, MetricNames.DOCUMENTS, "Count").put(MetricNames.DOCUMENTS, e.getValue());
      lines.add(write(line));
    }
    documents.clear();
    chunksEmbedded = 0;
    embedSeconds.clear();
    writeSeconds.clear();
    batchFailed = false;
    return lines;
  }

  /** A line with its metadata: one directive with one dimension set, no metrics yet. */
  private ObjectNode document(long timestamp, List<String> dimensions) {
    ObjectNode root = StrictJson.objectNode();
    ObjectNode aws = root.putObject("_aws");
    aws.put("Timestamp", timestamp);
    ObjectNode directive = aws.putArray("CloudWatchMetrics").addObject();
    directive.put("Namespace", NAMESPACE);
    ArrayNode set = directive.putArray("Dimensions").addArray();
    dimensions.forEach(set::add);
    directive.putArray("Metrics");
    root.put(FUNCTION_NAME, functionName);
    return root;
  }

  /** Declares metric {@code name} in the line's directive; returns the root for its value. */
  private static ObjectNode metric(ObjectNode root, String name, String unit) {
    ArrayNode metrics =
        (ArrayNode) root.path("_aws").path("CloudWatchMetrics").get(0).get("Metrics");
    metrics.addObject().put("Name", name).put("Unit", unit);
    return root;
  }

  /** Up to {@link #MAX_VALUES} samples from {@code from}; nothing when there are none left. */
  private static void values(ObjectNode root, String name, List<Double> samples, int from) {
    if (from >= samples.size()) {
      return;
    }
    metric(root, name, "Seconds");
    ArrayNode array = root.putArray(name);
    samples.subList(from, Math.min(samples.size(), from + MAX_VALUES)).forEach(array::add);
  }

  private static String write(ObjectNode line) {
    return new String(StrictJson.write(line), StandardCharsets.UTF_8);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static int compare(List<String> a, List<String> b) {
    int c = a.get(0).compareTo(b.get(0));
    return c != 0 ? c : a.get(1).compareTo(b.get(1));
  }
}
