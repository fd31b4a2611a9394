package io.docpipe.fargate;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * One JSON object per log line, for CloudWatch Logs Insights: time, level, logger, message, the
 * request id of the thread that logged, the task's ECS fields and the stack trace of an error.
 */
final class JsonLogFormatter extends Formatter {

  private static final JsonFactory FACTORY = new JsonFactory();

  private final Map<String, String> fields;

  /** {@code fields} are added to every line (e.g. {@code ecs.task_arn}). */
  JsonLogFormatter(Map<String, String> fields) {
    this.fields = new TreeMap<>(fields);
  }

  @Override
  public String format(LogRecord record) {
    StringWriter out = new StringWriter(256);
    try (JsonGenerator json = FACTORY.createGenerator(out)) {
      json.writeStartObject();
      json.writeStringField("time", record.getInstant().toString());
      json.writeStringField("level", record.getLevel().getName());
      json.writeStringField("logger", String.valueOf(record.getLoggerName()));
      json.writeStringField("message", formatMessage(record));
      io.opentelemetry.api.trace.SpanContext span =
          io.opentelemetry.api.trace.Span.current().getSpanContext();
      if (span.isValid()) {
        // The names CloudWatch Logs Insights and X-Ray/ADOT correlate with traces.
        json.writeStringField("traceId", span.getTraceId());
        json.writeStringField("spanId", span.getSpanId());
      }
      String requestId = RequestContext.requestId();
      if (requestId != null) {
        json.writeStringField("requestId", requestId);
      }
      json.writeStringField("thread", Thread.currentThread().getName());
      for (Map.Entry<String, String> field : fields.entrySet()) {
        json.writeStringField(field.getKey(), field.getValue());
      }
      Throwable thrown = record.getThrown();
      if (thrown != null) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        json.writeStringField("error", thrown.toString());
        json.writeStringField("stackTrace", trace.toString());
      }
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.append('\n').toString();
  }
}
