package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.docpipe.wiring.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The span of one invocation and where its parent comes from: the caller's W3C {@code traceparent}
 * (HTTP), the message's {@code traceparent} message attribute or {@code AWSTraceHeader} system
 * attribute (SQS), else the invocation's X-Ray header ({@code _X_AMZN_TRACE_ID}, which the Java
 * runtime also keeps per invocation in the system property {@code com.amazonaws.xray.traceHeader}).
 */
final class InvocationTrace {

  static final String XRAY_PROPERTY = "com.amazonaws.xray.traceHeader";

  private InvocationTrace() {}

  /** The invocation's X-Ray parent, or the root context. */
  static Context invocationParent() {
    String header = System.getProperty(XRAY_PROPERTY);
    if (header == null || header.isBlank()) {
      header = System.getenv("_X_AMZN_TRACE_ID");
    }
    return Tracing.fromXray(header).map(Tracing::withParent).orElse(Context.root());
  }

  /** The trace context one SQS record carries, if any. */
  static Optional<SpanContext> ofSqsRecord(JsonNode record) {
    JsonNode w3c = record.path("messageAttributes").path("traceparent").path("stringValue");
    if (w3c.isTextual()) {
      SpanContext c =
          Span.fromContext(Tracing.fromW3c(Map.of("traceparent", w3c.asText()))).getSpanContext();
      if (c.isValid()) {
        return Optional.of(c);
      }
    }
    return Tracing.fromXray(record.path("attributes").path("AWSTraceHeader").asText(null));
  }

  /**
   * Runs {@code work} in a span named {@code name} under {@code parent}, linked to {@code links}
   * (the messages of a batch), current on this thread while it runs.
   */
  static <T> T inSpan(
      Tracing tracing, String name, Context parent, List<SpanContext> links, Supplier<T> work) {
    SpanBuilder builder =
        tracing.tracer().spanBuilder(name).setSpanKind(SpanKind.SERVER).setParent(parent);
    links.forEach(builder::addLink);
    Span span = builder.startSpan();
    Scope scope = span.makeCurrent();
    try {
      return work.get();
    } catch (RuntimeException | Error e) {
      span.recordException(e);
      span.setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      scope.close();
      span.end();
    }
  }

  /**
   * The parent of an SQS batch's span: the one message's context when the batch is one message (one
   * trace per message), else the invocation's, with every message's context as a link.
   */
  static Context sqsParent(List<SpanContext> messages) {
    return messages.size() == 1 ? Tracing.withParent(messages.get(0)) : invocationParent();
  }

  static List<SpanContext> sqsContexts(JsonNode records) {
    List<SpanContext> contexts = new ArrayList<>();
    for (JsonNode record : records) {
      ofSqsRecord(record).ifPresent(contexts::add);
    }
    return contexts;
  }
}
