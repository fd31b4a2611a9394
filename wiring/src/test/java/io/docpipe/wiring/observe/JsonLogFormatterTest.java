package io.docpipe.wiring.observe;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** Every log line is JSON with the current trace and span, in the platform's field names. */
class JsonLogFormatterTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void onAws_aLineInsideASpan_carriesTraceIdAndSpanId() throws Exception {
    try (Tracing tracing = Tracing.off("svc")) {
      Span span = tracing.startSpan("request", SpanKind.SERVER, Context.root());
      String line =
          inside(span, () -> format(JsonLogFormatter.Platform.AWS, null, "indexed \"a\"\nnext"));
      JsonNode json = JSON.readTree(line);
      assertThat(line).endsWith("}\n").doesNotContain("\nnext");
      assertThat(json.get("message").asText()).isEqualTo("indexed \"a\"\nnext");
      assertThat(json.get("level").asText()).isEqualTo("WARNING");
      assertThat(json.get("traceId").asText()).isEqualTo(span.getSpanContext().getTraceId());
      assertThat(json.get("spanId").asText()).isEqualTo(span.getSpanContext().getSpanId());
      assertThat(json.get("shard").asText()).isEqualTo("3");
    }
  }

  @Test
  void onGoogle_theTraceIsTheResourceName_CloudLoggingCorrelates() throws Exception {
    try (Tracing tracing = Tracing.off("svc")) {
      Span span = tracing.startSpan("shard", SpanKind.INTERNAL, Context.root());
      String line = inside(span, () -> format(JsonLogFormatter.Platform.GOOGLE, "my-project", "m"));
      JsonNode json = JSON.readTree(line);
      assertThat(json.get("severity").asText()).isEqualTo("WARNING");
      assertThat(json.get("logging.googleapis.com/trace").asText())
          .isEqualTo("projects/my-project/traces/" + span.getSpanContext().getTraceId());
      assertThat(json.get("logging.googleapis.com/spanId").asText())
          .isEqualTo(span.getSpanContext().getSpanId());
      assertThat(json.get("logging.googleapis.com/trace_sampled").asBoolean()).isTrue();
    }
  }

  @Test
  void outsideAnySpan_thereAreNoTraceFields() throws Exception {
    JsonNode json = JSON.readTree(format(JsonLogFormatter.Platform.AWS, null, "m"));
    assertThat(json.has("traceId")).isFalse();
    assertThat(json.has("requestId")).isFalse();
  }

  @Test
  void theLoggingThreadsRequestId_isOnItsLine() throws Exception {
    LogRecord record = new LogRecord(Level.INFO, "searched {0}");
    record.setParameters(new Object[] {"\"quoted\""});
    String line =
        new JsonLogFormatter(JsonLogFormatter.Platform.AWS, Map.of(), null, () -> "req-42")
            .format(record);
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("requestId").asText()).isEqualTo("req-42");
    assertThat(json.get("message").asText()).isEqualTo("searched \"quoted\"");
  }

  private static String format(JsonLogFormatter.Platform platform, String project, String message) {
    LogRecord record = new LogRecord(Level.WARNING, message);
    record.setLoggerName("io.docpipe.test");
    return new JsonLogFormatter(platform, Map.of("shard", "3"), project, () -> null).format(record);
  }

  /** What {@code format} returns while {@code span} is current; the span ends after. */
  private static String inside(Span span, Callable<String> format) throws Exception {
    Scope scope = span.makeCurrent();
    try {
      return format.call();
    } finally {
      scope.close();
      span.end();
    }
  }

  @Test
  void theTimeIsWrittenAsInstantToStringWritesIt() {
    java.util.List<java.time.Instant> instants =
        new java.util.ArrayList<>(
            java.util.List.of(
                java.time.Instant.EPOCH,
                java.time.Instant.ofEpochSecond(0, 1),
                java.time.Instant.ofEpochSecond(-1, 999_999_999),
                java.time.Instant.ofEpochSecond(1_796_596_435L, 120_000_000),
                java.time.Instant.ofEpochSecond(1_796_596_435L, 123_456_000),
                java.time.Instant.ofEpochSecond(1_796_596_435L, 123_456_789),
                java.time.Instant.parse("0000-01-01T00:00:00Z"),
                java.time.Instant.parse("-0001-12-31T23:59:59.5Z"),
                java.time.Instant.parse("9999-12-31T23:59:59.999999999Z"),
                java.time.Instant.parse("+10000-01-01T00:00:00Z"),
                java.time.Instant.parse("2024-02-29T12:00:00Z"),
                java.time.Instant.MIN,
                java.time.Instant.MAX));
    java.util.Random random = new java.util.Random(19);
    for (int i = 0; i < 20_000; i++) {
      long second = random.nextLong(-70_000_000_000L, 260_000_000_000L);
      int nano =
          switch (i % 4) {
            case 0 -> 0;
            case 1 -> random.nextInt(1_000) * 1_000_000;
            case 2 -> random.nextInt(1_000_000) * 1_000;
            default -> random.nextInt(1_000_000_000);
          };
      instants.add(java.time.Instant.ofEpochSecond(second, nano));
    }
    instants.add(java.time.Instant.now());

    for (java.time.Instant instant : instants) {
      assertThat(JsonLogFormatter.isoInstant(instant)).isEqualTo(instant.toString());
    }
  }
}
