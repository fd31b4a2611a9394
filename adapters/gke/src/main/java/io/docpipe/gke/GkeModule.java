package io.docpipe.gke;

import dagger.Module;
import dagger.Provides;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.ShardEvents;
import java.time.Duration;
import javax.inject.Singleton;

/** The worker's listener: Job events and, when asked for, an outcome log. */
@Module
final class GkeModule {

  private GkeModule() {}

  @Provides
  @Singleton
  static ShardEvents shardEvents(ShardEvents.Factory factory, ShardSpec shard) {
    return factory.forShard(shard);
  }

  @Provides
  static IngestionListener listener(ShardEvents events, OutcomeLog log) {
    return new IngestionListener() {
      @Override
      public void documentFinished(DocumentOutcome outcome, Duration took) {
        events.documentFinished(outcome, took);
        log.documentFinished(outcome, took);
      }
    };
  }
}
