package io.docpipe.wiring.observe;

import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SpanProcessor;

/**
 * A span processor that acts only when a span ends: docpipe's processors look at finished spans.
 */
@FunctionalInterface
interface EndedSpanProcessor extends SpanProcessor {

  @Override
  void onEnd(ReadableSpan span);

  @Override
  default void onStart(Context parentContext, ReadWriteSpan span) {}

  @Override
  default boolean isStartRequired() {
    return false;
  }

  @Override
  default boolean isEndRequired() {
    return true;
  }
}
