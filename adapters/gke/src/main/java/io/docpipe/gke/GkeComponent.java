package io.docpipe.gke;

import dagger.BindsInstance;
import dagger.Component;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.in.OptimizeIndex;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.wiring.CorpusRun;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.DocpipeModule;
import io.docpipe.wiring.Resources;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.ShardEvents;
import io.docpipe.wiring.observe.PipelineMetrics;
import io.docpipe.wiring.observe.Tracing;
import javax.inject.Singleton;

/** The worker's object graph: one per pod, for one shard. */
@Singleton
@Component(modules = {DocpipeModule.class, GkeModule.class})
interface GkeComponent extends AutoCloseable {

  CorpusRun.Factory corpusRun();

  CheckpointStore checkpoints();

  /** Tests read the index through it; the worker reaches the store only through use cases. */
  VectorStore vectorStore();

  OptimizeIndex optimizeIndex();

  ShardEvents shardEvents();

  Resources resources();

  /** Sends the last events, then closes the index and the model. */
  @Override
  default void close() {
    shardEvents().close();
    resources().close();
  }

  /**
   * Builds the graph for a configuration, the shard it runs, where outcomes are logged and the
   * metrics they count in; the clients that use a key follow {@code secrets} (ADR 0025).
   */
  @Component.Factory
  interface Factory {
    GkeComponent create(
        @BindsInstance DocpipeConfig config,
        @BindsInstance ShardSpec shard,
        @BindsInstance OutcomeLog outcomeLog,
        @BindsInstance PipelineMetrics metrics,
        @BindsInstance Tracing tracing,
        @BindsInstance SecretRotation secrets);
  }

  static GkeComponent create(DocpipeConfig config, ShardSpec shard, OutcomeLog outcomeLog) {
    return create(
        config,
        shard,
        outcomeLog,
        WorkerMetrics.unserved().pipeline(),
        Tracing.off("docpipe-gke-worker"));
  }

  static GkeComponent create(
      DocpipeConfig config,
      ShardSpec shard,
      OutcomeLog outcomeLog,
      PipelineMetrics metrics,
      Tracing tracing) {
    return create(
        config, shard, outcomeLog, metrics, tracing, SecretRotation.none(java.util.Map.of()));
  }

  static GkeComponent create(
      DocpipeConfig config,
      ShardSpec shard,
      OutcomeLog outcomeLog,
      PipelineMetrics metrics,
      Tracing tracing,
      SecretRotation secrets) {
    return DaggerGkeComponent.factory()
        .create(config, shard, outcomeLog, metrics, tracing, secrets);
  }
}
