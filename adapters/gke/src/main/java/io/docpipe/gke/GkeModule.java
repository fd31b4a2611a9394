package io.docpipe.gke;

import dagger.Module;
import dagger.Provides;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.ShardEvents;
import io.docpipe.wiring.observe.PipelineMetrics;
import io.docpipe.wiring.observe.Tracing;
import java.time.Duration;
import javax.inject.Singleton;

/** The worker's listener: Job events, metrics and, when asked for, an outcome log. */
@Module
final class GkeModule {

  private GkeModule() {}

  @Provides
  @Singleton
  static ShardEvents shardEvents(ShardEvents.Factory factory, ShardSpec shard) {
    return factory.forShard(shard);
  }

  @Provides
  static IngestionListener listener(
      ShardEvents events, OutcomeLog log, PipelineMetrics metrics, Tracing tracing) {
    IngestionListener traces = tracing.listener();
    return new IngestionListener() {
      @Override
      public void stageFinished(
          io.docpipe.core.model.DocumentId document, Stage stage, long size, Duration took) {
        traces.stageFinished(document, stage, size, took);
      }

      @Override
      public void documentFinished(DocumentOutcome outcome, Duration took) {
        events.documentFinished(outcome, took);
        log.documentFinished(outcome, took);
        metrics.documentFinished(outcome, took);
        traces.documentFinished(outcome, took);
      }

      @Override
      public void chunksEmbedded(int chunks, Duration took) {
        metrics.chunksEmbedded(chunks, took);
      }

      @Override
      public void pointsWritten(int points, Duration took) {
        metrics.pointsWritten(points, took);
      }
    };
  }
}
