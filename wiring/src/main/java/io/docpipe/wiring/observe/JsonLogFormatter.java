package io.docpipe.wiring.observe;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One JSON object per log line, with the trace and span id of the thread's current span in the
 * fields the platform's log service correlates with traces: {@code traceId}/{@code spanId} for
 * CloudWatch (Lambda, ECS), {@code logging.googleapis.com/trace} (as {@code
 * projects/PROJECT/traces/ID} when the project is known) and {@code logging.googleapis.com/spanId}
 * with a {@code severity} for Cloud Logging (GKE).
 */
public final class JsonLogFormatter extends Formatter {

  /** Whose field names to use. */
  public enum Platform {
    AWS,
    GOOGLE
  }

  private final Platform platform;
  private final Map<String, String> fields;
  private final @Nullable String googleProject;
  private final Supplier<@Nullable String> requestId;

  /**
   * @param fields added to every line (e.g. {@code ecs.task_arn}, {@code shard})
   * @param googleProject the GCP project for the trace field's resource name; null: the bare id
   * @param requestId the logging thread's request id, written as {@code requestId} when not null
   */
  public JsonLogFormatter(
      Platform platform,
      Map<String, String> fields,
      @Nullable String googleProject,
      Supplier<@Nullable String> requestId) {
    this.platform = Objects.requireNonNull(platform, "platform");
    this.fields = new TreeMap<>(fields);
    this.googleProject = googleProject == null || googleProject.isBlank() ? null : googleProject;
    this.requestId = Objects.requireNonNull(requestId, "requestId");
  }

  /**
   * Replaces the root logger's handlers with one writing these lines to stderr (where Lambda, ECS
   * and Kubernetes collect them), flushing every line.
   */
  public static void install(JsonLogFormatter formatter) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler stderr = new ConsoleHandler(); // stderr, flushed after every line
    stderr.setLevel(Level.ALL);
    stderr.setFormatter(formatter);
    root.addHandler(stderr);
  }

  @Override
  public String format(LogRecord record) {
    StringBuilder json = new StringBuilder(256).append('{');
    field(json, "time", isoInstant(record.getInstant()));
    if (platform == Platform.GOOGLE) {
      field(json, "severity", severity(record.getLevel()));
    } else {
      field(json, "level", record.getLevel().getName());
    }
    field(json, "logger", String.valueOf(record.getLoggerName()));
    field(json, "message", formatMessage(record));
    SpanContext span = Span.current().getSpanContext();
    if (span.isValid()) {
      if (platform == Platform.GOOGLE) {
        field(
            json,
            "logging.googleapis.com/trace",
            googleProject == null
                ? span.getTraceId()
                : "projects/" + googleProject + "/traces/" + span.getTraceId());
        field(json, "logging.googleapis.com/spanId", span.getSpanId());
        json.append("\"logging.googleapis.com/trace_sampled\":")
            .append(span.isSampled())
            .append(',');
      } else {
        field(json, "traceId", span.getTraceId());
        field(json, "spanId", span.getSpanId());
      }
    }
    String request = requestId.get();
    if (request != null) {
      field(json, "requestId", request);
    }
    field(json, "thread", Thread.currentThread().getName());
    for (Map.Entry<String, String> f : fields.entrySet()) {
      field(json, f.getKey(), f.getValue());
    }
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      StringWriter trace = new StringWriter();
      thrown.printStackTrace(new PrintWriter(trace));
      field(json, "error", thrown.toString());
      field(json, "stackTrace", trace.toString());
    }
    json.setLength(json.length() - 1); // the last comma
    return json.append("}\n").toString();
  }

  /** Before 0000-01-01T00:00:00Z or from 10000-01-01T00:00:00Z: left to Instant.toString. */
  private static final long FIRST_SECOND = -62_167_219_200L;

  private static final long END_SECOND = 253_402_300_800L;

  /**
   * {@code instant.toString()}, the same characters (ISO-8601 in UTC, seconds always, a fraction of
   * 3, 6 or 9 digits when there is one), written without {@code DateTimeFormatter}: its class
   * initialisation builds every predefined formatter, which a cold start (Lambda) would otherwise
   * pay for its first log line.
   */
  static String isoInstant(Instant instant) {
    long second = instant.getEpochSecond();
    if (second < FIRST_SECOND || second >= END_SECOND) {
      return instant.toString();
    }
    int nano = instant.getNano();
    LocalDateTime t = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
    StringBuilder s = new StringBuilder(30);
    pad(s, t.getYear(), 4).append('-');
    pad(s, t.getMonthValue(), 2).append('-');
    pad(s, t.getDayOfMonth(), 2).append('T');
    pad(s, t.getHour(), 2).append(':');
    pad(s, t.getMinute(), 2).append(':');
    pad(s, t.getSecond(), 2);
    if (nano > 0) {
      s.append('.');
      if (nano % 1_000_000 == 0) {
        pad(s, nano / 1_000_000, 3);
      } else if (nano % 1_000 == 0) {
        pad(s, nano / 1_000, 6);
      } else {
        pad(s, nano, 9);
      }
    }
    return s.append('Z').toString();
  }

  private static StringBuilder pad(StringBuilder s, int value, int digits) {
    String text = Integer.toString(value);
    for (int i = text.length(); i < digits; i++) {
      s.append('0');
    }
    return s.append(text);
  }

  private static String severity(Level level) {
    int v = level.intValue();
    if (v >= Level.SEVERE.intValue()) {
      return "ERROR";
    } else if (v >= Level.WARNING.intValue()) {
      return "WARNING";
    } else if (v >= Level.INFO.intValue()) {
      return "INFO";
    }
    return "DEBUG";
  }

  private static void field(StringBuilder json, String name, String value) {
    quote(json, name);
    json.append(':');
    quote(json, value);
    json.append(',');
  }

  private static void quote(StringBuilder json, String s) {
    json.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
