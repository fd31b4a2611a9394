package io.docpipe.wiring.observe;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.out.IngestionListener;
import java.time.Duration;
import java.util.List;

/** Listeners told in turn: a runtime's metrics, traces and logs of the same ingestion. */
public final class Listeners {

  private Listeners() {}

  public static IngestionListener all(IngestionListener... listeners) {
    List<IngestionListener> all = List.of(listeners);
    return new IngestionListener() {
      @Override
      public void stageFinished(DocumentId document, Stage stage, long size, Duration took) {
        all.forEach(l -> l.stageFinished(document, stage, size, took));
      }

      @Override
      public void documentFinished(DocumentOutcome outcome, Duration took) {
        all.forEach(l -> l.documentFinished(outcome, took));
      }

      @Override
      public void chunksEmbedded(int chunks, Duration took) {
        all.forEach(l -> l.chunksEmbedded(chunks, took));
      }

      @Override
      public void pointsWritten(int points, Duration took) {
        all.forEach(l -> l.pointsWritten(points, took));
      }
    };
  }
}
