package io.docpipe.wiring.observe;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.out.IngestionListener;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A span per document ({@code docpipe.document}) under the span current on the ingesting thread
 * (the request's, the message's, the shard's), with a child per stage ({@code docpipe.fetch},
 * {@code docpipe.extract}, {@code docpipe.chunk}, {@code docpipe.embed}, {@code docpipe.write}).
 * The core reports stages as they end and the outcome last, so the spans are made when the outcome
 * arrives, with the times the stages had: nothing of OpenTelemetry runs inside the core.
 */
final class TracingListener implements IngestionListener {

  private record StageTime(Stage stage, long size, long startNanos, long endNanos) {}

  private record Key(String parentSpanId, DocumentId document) {}

  private final Tracer tracer;
  private final Map<Key, List<StageTime>> stages = new ConcurrentHashMap<>();

  TracingListener(Tracer tracer) {
    this.tracer = tracer;
  }

  private static Key key(DocumentId document) {
    return new Key(Span.current().getSpanContext().getSpanId(), document);
  }

  private static long nowNanos() {
    Instant now = Instant.now();
    return TimeUnit.SECONDS.toNanos(now.getEpochSecond()) + now.getNano();
  }

  @Override
  public void stageFinished(DocumentId document, Stage stage, long size, Duration took) {
    long end = nowNanos();
    stages
        .computeIfAbsent(key(document), k -> new ArrayList<>(5))
        .add(new StageTime(stage, size, end - took.toNanos(), end));
  }

  @Override
  public void documentFinished(DocumentOutcome outcome, Duration took) {
    long end = nowNanos();
    List<StageTime> times = stages.remove(key(outcome.documentId()));
    long start = end - took.toNanos();
    if (times != null) {
      for (StageTime t : times) {
        start = Math.min(start, t.startNanos());
      }
    }
    Context parent = Context.current();
    Span document =
        tracer
            .spanBuilder("docpipe.document")
            .setParent(parent)
            .setStartTimestamp(start, TimeUnit.NANOSECONDS)
            .setAttribute(Tracing.DOCUMENT_ID, outcome.documentId().value())
            .setAttribute("docpipe.outcome", MetricNames.outcome(outcome))
            .startSpan();
    switch (outcome) {
      case DocumentOutcome.Indexed i -> document.setAttribute("docpipe.chunks", i.chunks());
      case DocumentOutcome.Failed f -> {
        document.setAttribute("docpipe.failure.reason", MetricNames.reason(f));
        document.setAttribute("docpipe.failure.retriable", f.reason().retriable());
        document.setStatus(StatusCode.ERROR, truncate(f.detail()));
      }
      default -> {}
    }
    if (times != null) {
      Context inDocument = parent.with(document);
      for (StageTime t : times) {
        tracer
            .spanBuilder("docpipe." + t.stage().name().toLowerCase(Locale.ROOT))
            .setParent(inDocument)
            .setStartTimestamp(t.startNanos(), TimeUnit.NANOSECONDS)
            .setAttribute(Tracing.DOCUMENT_ID, outcome.documentId().value())
            .setAttribute(sizeName(t.stage()), t.size())
            .startSpan()
            .end(t.endNanos(), TimeUnit.NANOSECONDS);
      }
    }
    document.end(end, TimeUnit.NANOSECONDS);
  }

  /** The attribute that holds a stage's size, in its unit. */
  static String sizeName(Stage stage) {
    return switch (stage) {
      case FETCH -> "docpipe.document.bytes";
      case EXTRACT -> "docpipe.text.chars";
      case CHUNK -> "docpipe.chunks";
      case EMBED -> "docpipe.vectors";
      case WRITE -> "docpipe.points";
    };
  }

  private static String truncate(String s) {
    return s.length() <= 500 ? s : s.substring(0, 500) + "…";
  }
}
