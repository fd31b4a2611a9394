package io.docpipe.wiring.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where a runtime's trace context comes from: W3C traceparent, AWS X-Ray headers. */
class TracingHeadersTest {

  @Test
  void aW3cTraceparent_inAnyCase_isTheParent_andAMalformedOneIsIgnored() {
    Context c =
        Tracing.fromW3c(
            Map.of("TraceParent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"));
    SpanContext parent = Span.fromContext(c).getSpanContext();
    assertThat(parent.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(parent.getSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(parent.isRemote()).isTrue();
    assertThat(
            Span.fromContext(Tracing.fromW3c(Map.of("traceparent", "00-zz-01")))
                .getSpanContext()
                .isValid())
        .isFalse();
  }

  @Test
  void anXrayHeader_asLambdaAndSqsGiveIt_becomesTheSameTraceInW3cForm() {
    SpanContext c =
        Tracing.fromXray(
                "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
            .orElseThrow();
    assertThat(c.getTraceId()).isEqualTo("5759e988bd862e3fe1be46a994272793");
    assertThat(c.getSpanId()).isEqualTo("53995c3f42cd8ad8");
    assertThat(c.isSampled()).isTrue();
    assertThat(Tracing.fromXray("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0")).isEmpty();
    assertThat(Tracing.fromXray("Root=2-x;Parent=53995c3f42cd8ad8")).isEmpty();
    assertThat(Tracing.fromXray(null)).isEmpty();
  }

  @Test
  void withoutAnEndpoint_nothingIsExported_butSpansHaveIds() {
    try (Tracing tracing = Tracing.fromEnvironment(Map.of(), "svc")) {
      assertThat(tracing.endpoint()).isEmpty();
      Span span =
          tracing.startSpan("x", io.opentelemetry.api.trace.SpanKind.INTERNAL, Context.root());
      assertThat(span.getSpanContext().isValid()).isTrue();
      span.end();
    }
    try (Tracing tracing =
        Tracing.fromEnvironment(
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318"), "svc")) {
      assertThat(tracing.endpoint()).hasValue("http://127.0.0.1:4318/v1/traces");
    }
  }
}
