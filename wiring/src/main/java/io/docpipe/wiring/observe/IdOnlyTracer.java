package io.docpipe.wiring.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceId;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The tracer of a process that exports nothing: its spans carry ids (for the logs' {@code
 * traceId}/{@code spanId}) and record nothing, so the OpenTelemetry SDK (about 150 classes, its
 * resource detection and span processors) is never loaded where nothing would read what it records
 * (ADR 0030). Ids and flags follow the SDK's defaults: a parent's trace id, flags and trace state
 * when the parent is valid (the SDK's parent-based sampler), else a new trace, sampled (its
 * always-on root); random non-zero ids, as the SDK's {@code RandomIdGenerator} makes them.
 */
final class IdOnlyTracer implements Tracer {

  @Override
  public SpanBuilder spanBuilder(String spanName) {
    return new Builder();
  }

  /** A span for {@code parent}'s trace (a new trace when it has no valid span): ids only. */
  static Span start(Context parent) {
    SpanContext up = Span.fromContext(parent).getSpanContext();
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String traceId;
    TraceFlags flags;
    TraceState state;
    if (up.isValid()) {
      traceId = up.getTraceId();
      flags = up.getTraceFlags();
      state = up.getTraceState();
    } else {
      long high;
      long low;
      do {
        high = random.nextLong();
        low = random.nextLong();
      } while (high == 0 && low == 0);
      traceId = TraceId.fromLongs(high, low);
      flags = TraceFlags.getSampled();
      state = TraceState.getDefault();
    }
    long spanId;
    do {
      spanId = random.nextLong();
    } while (spanId == 0);
    return Span.wrap(SpanContext.create(traceId, SpanId.fromLong(spanId), flags, state));
  }

  /** Keeps only the parent; every other setting is what a non-recording span would drop. */
  private static final class Builder implements SpanBuilder {

    private @Nullable Context parent;
    private boolean noParent;

    @Override
    public SpanBuilder setParent(Context context) {
      this.parent = context;
      this.noParent = false;
      return this;
    }

    @Override
    public SpanBuilder setNoParent() {
      this.parent = null;
      this.noParent = true;
      return this;
    }

    @Override
    public SpanBuilder addLink(SpanContext spanContext) {
      return this;
    }

    @Override
    public SpanBuilder addLink(SpanContext spanContext, Attributes attributes) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, @Nullable String value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, long value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, double value) {
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, boolean value) {
      return this;
    }

    @Override
    public <T> SpanBuilder setAttribute(AttributeKey<T> key, @Nullable T value) {
      return this;
    }

    @Override
    public SpanBuilder setSpanKind(SpanKind spanKind) {
      return this;
    }

    @Override
    public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
      return this;
    }

    @Override
    public Span startSpan() {
      if (noParent) {
        return start(Context.root());
      }
      return start(parent != null ? parent : Context.current());
    }
  }
}
