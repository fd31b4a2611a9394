package io.docpipe.wiring.observe;

import io.docpipe.core.port.out.IngestionListener;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The OpenTelemetry tracing of one runtime process: spans always carry ids (for the logs' {@code
 * traceId}/{@code spanId}), and are recorded by the OpenTelemetry SDK and exported by OTLP/HTTP
 * only when {@code OTEL_EXPORTER_OTLP_ENDPOINT} (or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT})
 * says where, through a bounded queue that drops and counts rather than ever blocking ingestion.
 * The core knows none of this: {@link #listener()} turns its {@link IngestionListener} reports into
 * a span per document and per stage (ADR 0023).
 */
public final class Tracing implements AutoCloseable {

  /** The instrumentation scope of docpipe's spans. */
  public static final String SCOPE = "io.docpipe";

  /** Spans waiting for export beyond this are dropped (and counted). */
  public static final int QUEUE_CAPACITY = 2048;

  public static final AttributeKey<String> DOCUMENT_ID =
      AttributeKey.stringKey("docpipe.document.id");

  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        @SuppressWarnings("deprecation") // still abstract in 1.68; W3C extraction never calls it
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public @Nullable String get(@Nullable Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key.toLowerCase(Locale.ROOT));
        }
      };

  private final Tracer tracer;
  private final @Nullable ExportingTracing export;
  private final @Nullable String endpoint;

  private Tracing(@Nullable ExportingTracing export, @Nullable String endpoint) {
    // Without an exporter nothing would read what the SDK records: spans then carry ids for the
    // logs and nothing else, and the SDK's classes are never loaded (ADR 0030).
    this.export = export;
    this.tracer = export == null ? new IdOnlyTracer() : export.tracer();
    this.endpoint = endpoint;
  }

  /** Tracing that gives spans ids but exports nothing. */
  public static Tracing off(String serviceName) {
    Objects.requireNonNull(serviceName, "serviceName");
    return new Tracing(null, null);
  }

  /** Tracing that exports to {@code exporter} (tests, a custom exporter). */
  public static Tracing exportingTo(String serviceName, SpanExporter exporter) {
    return new Tracing(
        new ExportingTracing(serviceName, Objects.requireNonNull(exporter, "exporter")), "custom");
  }

  /**
   * From the standard OpenTelemetry variables: {@code OTEL_SERVICE_NAME} (else {@code
   * defaultServiceName}) and the OTLP/HTTP endpoint; without an endpoint nothing is exported.
   */
  public static Tracing fromEnvironment(Map<String, String> env, String defaultServiceName) {
    String service = env.getOrDefault("OTEL_SERVICE_NAME", "").strip();
    service = service.isEmpty() ? defaultServiceName : service;
    String traces = env.getOrDefault("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "").strip();
    String base = env.getOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT", "").strip();
    String url =
        !traces.isEmpty()
            ? traces
            : base.isEmpty() ? "" : (base.endsWith("/") ? base : base + "/") + "v1/traces";
    if (url.isEmpty() || "none".equals(env.getOrDefault("OTEL_TRACES_EXPORTER", "").strip())) {
      return off(service);
    }
    return new Tracing(ExportingTracing.otlpHttp(service, url), url);
  }

  public Tracer tracer() {
    return tracer;
  }

  /** Where spans go, or empty when they are not exported. */
  public Optional<String> endpoint() {
    return Optional.ofNullable(endpoint);
  }

  /** The listener that makes a span per document and stage under the current span. */
  public IngestionListener listener() {
    return new TracingListener(tracer);
  }

  /** Spans dropped because the export queue was full (a slow or absent collector). */
  public long droppedSpans() {
    return export == null ? 0 : export.dropped();
  }

  /** Spans the collector accepted. */
  public long exportedSpans() {
    return export == null ? 0 : export.exported();
  }

  /** Spans whose export failed (collector down or refusing). */
  public long failedSpans() {
    return export == null ? 0 : export.failed();
  }

  /** Starts a span for one request or message under {@code parent}; the caller ends it. */
  public Span startSpan(String name, SpanKind kind, Context parent) {
    return tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
  }

  /**
   * The context a W3C {@code traceparent} (and {@code tracestate}) in {@code headers} names, header
   * names in any case; the root context when there is none or it is malformed.
   */
  public static Context fromW3c(Map<String, String> headers) {
    Map<String, String> lower = new TreeMap<>();
    headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
    return W3CTraceContextPropagator.getInstance().extract(Context.root(), lower, GETTER);
  }

  /**
   * The span context of an AWS X-Ray trace header ({@code Root=1-5759e988-bd862e3fe1be46a994272793;
   * Parent=53995c3f42cd8ad8;Sampled=1}), as Lambda gives it in {@code _X_AMZN_TRACE_ID} and SQS in
   * the {@code AWSTraceHeader} attribute; empty when it has no root and parent.
   */
  public static Optional<SpanContext> fromXray(@Nullable String header) {
    if (header == null || header.isBlank()) {
      return Optional.empty();
    }
    String root = null;
    String parent = null;
    boolean sampled = false;
    for (String part : header.split(";")) {
      String[] kv = part.strip().split("=", 2);
      if (kv.length != 2) {
        continue;
      }
      switch (kv[0]) {
        case "Root" -> root = kv[1];
        case "Parent" -> parent = kv[1];
        case "Sampled" -> sampled = "1".equals(kv[1]);
        default -> {}
      }
    }
    if (root == null || parent == null) {
      return Optional.empty();
    }
    String[] r = root.split("-");
    if (r.length != 3 || !"1".equals(r[0]) || r[1].length() != 8 || r[2].length() != 24) {
      return Optional.empty();
    }
    SpanContext context =
        SpanContext.createFromRemoteParent(
            (r[1] + r[2]).toLowerCase(Locale.ROOT),
            parent.toLowerCase(Locale.ROOT),
            sampled ? TraceFlags.getSampled() : TraceFlags.getDefault(),
            TraceState.getDefault());
    return context.isValid() ? Optional.of(context) : Optional.empty();
  }

  /** The first of {@code candidates} that is a valid parent, else the root context. */
  public static Context firstParent(List<Context> candidates) {
    for (Context c : candidates) {
      if (Span.fromContext(c).getSpanContext().isValid()) {
        return c;
      }
    }
    return Context.root();
  }

  /** A context whose parent is {@code remote}. */
  public static Context withParent(SpanContext remote) {
    return Context.root().with(Span.wrap(remote));
  }

  /** Exports what is queued (waiting about two seconds at most), then stops. */
  @Override
  public void close() {
    if (export != null) {
      export.close();
    }
  }
}
