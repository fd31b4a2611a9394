package io.docpipe.wiring.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Without an exporter, spans carry the ids the logs need as the SDK would give them (a parent's
 * trace, flags and state; a new sampled trace at the root; a fresh span id each), and the SDK is
 * not used.
 */
class UnexportedSpansTest {

  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00";

  @Test
  void aRootSpan_startsANewSampledTrace_withFreshIdsEachTime() {
    try (Tracing tracing = Tracing.off("svc")) {
      Set<String> traces = new HashSet<>();
      Set<String> spans = new HashSet<>();
      for (int i = 0; i < 100; i++) {
        SpanContext c = tracing.startSpan("r", SpanKind.SERVER, Context.root()).getSpanContext();
        assertThat(c.isValid()).isTrue();
        assertThat(c.isSampled()).isTrue();
        assertThat(c.isRemote()).isFalse();
        traces.add(c.getTraceId());
        spans.add(c.getSpanId());
      }
      assertThat(traces).hasSize(100);
      assertThat(spans).hasSize(100);
    }
  }

  @Test
  void underAW3cParent_theSpanJoinsItsTrace_keepsItsFlags_andGetsItsOwnId() {
    Context parent = Tracing.fromW3c(Map.of("traceparent", TRACEPARENT, "tracestate", "vendor=x"));
    try (Tracing off = Tracing.off("svc");
        Tracing sdk = Tracing.exportingTo("svc", new NoExport())) {
      SpanContext ours = off.startSpan("r", SpanKind.SERVER, parent).getSpanContext();
      SpanContext theirs = sdk.startSpan("r", SpanKind.SERVER, parent).getSpanContext();
      for (SpanContext c : new SpanContext[] {ours, theirs}) {
        assertThat(c.getTraceId()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(c.getSpanId()).isNotEqualTo("00f067aa0ba902b7");
        assertThat(c.getTraceFlags()).isEqualTo(TraceFlags.getDefault());
        assertThat(c.getTraceState().get("vendor")).isEqualTo("x");
        assertThat(c.isValid()).isTrue();
      }
    }
  }

  @Test
  void theListenersChildSpans_followTheCurrentSpan_andNoParentStartsANewTrace() {
    try (Tracing tracing = Tracing.off("svc")) {
      Span request = tracing.startSpan("request", SpanKind.SERVER, Context.root());
      Scope scope = request.makeCurrent();
      try {
        Span child = tracing.tracer().spanBuilder("child").startSpan();
        assertThat(child.getSpanContext().getTraceId())
            .isEqualTo(request.getSpanContext().getTraceId());
        assertThat(child.getSpanContext().getSpanId())
            .isNotEqualTo(request.getSpanContext().getSpanId());
        Span root = tracing.tracer().spanBuilder("root").setNoParent().startSpan();
        assertThat(root.getSpanContext().getTraceId())
            .isNotEqualTo(request.getSpanContext().getTraceId());
      } finally {
        scope.close();
      }
      // A remote parent given as a span context (an SQS message's X-Ray header) is kept too.
      SpanContext remote =
          SpanContext.createFromRemoteParent(
              "5759e988bd862e3fe1be46a994272793",
              "53995c3f42cd8ad8",
              TraceFlags.getSampled(),
              TraceState.getDefault());
      assertThat(
              tracing
                  .startSpan("m", SpanKind.CONSUMER, Tracing.withParent(remote))
                  .getSpanContext()
                  .getTraceId())
          .isEqualTo("5759e988bd862e3fe1be46a994272793");
    }
  }

  @Test
  void tracingOff_neverLoadsTheSdk() throws Exception {
    // A class loader of its own, so that the SDK classes other tests loaded do not count.
    var urls =
        java.util.Arrays.stream(
                System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(
                p -> {
                  try {
                    return java.nio.file.Path.of(p).toUri().toURL();
                  } catch (java.net.MalformedURLException e) {
                    throw new IllegalStateException(e);
                  }
                })
            .toArray(java.net.URL[]::new);
    try (SdkWatchingLoader loader = new SdkWatchingLoader(urls)) {
      // Called directly, not by reflection: reflection on Tracing would load its signatures' types.
      @SuppressWarnings("unchecked")
      var probe =
          (java.util.function.Supplier<String>)
              Class.forName(OffProbe.class.getName(), true, loader)
                  .getDeclaredConstructor()
                  .newInstance();
      assertThat(probe.get()).hasSize(32);
      assertThat(loader.sdkClasses).isEmpty();
      assertThat(loader.loadedOurs).isTrue();
    }
  }

  /** Loads docpipe's and OpenTelemetry's SDK classes itself and notes the SDK's. */
  private static final class SdkWatchingLoader extends java.net.URLClassLoader {
    final Set<String> sdkClasses = new HashSet<>();
    boolean loadedOurs;

    SdkWatchingLoader(java.net.URL[] urls) {
      super(urls, UnexportedSpansTest.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      boolean sdk = name.startsWith("io.opentelemetry.sdk.");
      boolean ours = name.startsWith("io.docpipe.wiring.observe.");
      if (!sdk && !ours) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
          if (sdk) {
            sdkClasses.add(name);
          } else {
            loadedOurs = true;
          }
        }
        return c;
      }
    }
  }

  /** What a runtime without an exporter does: tracing from the environment, a span, close. */
  public static final class OffProbe implements java.util.function.Supplier<String> {
    public OffProbe() {}

    @Override
    public String get() {
      try (Tracing tracing = Tracing.fromEnvironment(Map.of(), "svc")) {
        Span span = tracing.startSpan("x", SpanKind.SERVER, Context.root());
        span.end();
        return span.getSpanContext().getTraceId();
      }
    }
  }

  private static final class NoExport implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
