package io.docpipe.wiring.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Ending a span never waits for the exporter; what does not fit in the queue is counted. */
class DroppingSpanProcessorTest {

  /** An exporter whose exports never complete: a collector that hangs. */
  static final class HangingExporter implements SpanExporter {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      calls.incrementAndGet();
      return new CompletableResultCode(); // never completes
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

  @Test
  void withAHangingExporter_endingSpansNeverBlocks_andTheOverflowIsDroppedAndCounted() {
    HangingExporter exporter = new HangingExporter();
    DroppingSpanProcessor processor = new DroppingSpanProcessor(exporter, 100);
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    Tracer tracer = provider.get("test");
    long start = System.nanoTime();
    for (int i = 0; i < 5_000; i++) {
      tracer.spanBuilder("s" + i).startSpan().end();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took).as("5,000 spans ended").isLessThan(Duration.ofSeconds(3));
    // At most the queue (100) and one batch in the hanging export (512) are held; the rest dropped.
    assertThat(processor.dropped())
        .isGreaterThanOrEqualTo(5_000 - 100 - DroppingSpanProcessor.MAX_BATCH);
    assertThat(processor.exported()).isZero();
    long stopping = System.nanoTime();
    provider.shutdown();
    assertThat(Duration.ofNanos(System.nanoTime() - stopping)).isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void withAWorkingExporter_everySpanIsExported_andNoneDropped() {
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    DroppingSpanProcessor processor = new DroppingSpanProcessor(exporter, 2048);
    SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(processor).build();
    for (int i = 0; i < 1_000; i++) {
      provider.get("test").spanBuilder("s" + i).startSpan().end();
    }
    assertThat(processor.forceFlush().isSuccess()).isTrue();
    assertThat(exporter.getFinishedSpanItems()).hasSize(1_000);
    assertThat(processor.exported()).isEqualTo(1_000);
    assertThat(processor.dropped()).isZero();
    provider.shutdown();
  }
}
