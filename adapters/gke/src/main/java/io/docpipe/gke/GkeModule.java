package io.docpipe.gke;

import dagger.Module;
import dagger.Provides;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.ShardEvents;
import io.docpipe.wiring.observe.Listeners;
import io.docpipe.wiring.observe.PipelineMetrics;
import io.docpipe.wiring.observe.Tracing;
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
    return Listeners.all(events, log, metrics, tracing.listener());
  }
}
