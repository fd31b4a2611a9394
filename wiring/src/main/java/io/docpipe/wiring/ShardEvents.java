package io.docpipe.wiring;

import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.IngestionListener;

/**
 * Where a shard run reports its progress beyond the checkpoint: Kubernetes Events on the worker's
 * Job when configured ({@code DOCPIPE_K8S_JOB_NAME}), nowhere otherwise. Never throws.
 */
public interface ShardEvents extends IngestionListener, AutoCloseable {

  ShardEvents NONE =
      new ShardEvents() {
        @Override
        public void runEnded(String reason, String message, boolean warning) {}

        @Override
        public void close() {}
      };

  /** How the run ended: {@code reason} is one CamelCase word, e.g. {@code ShardCompleted}. */
  void runEnded(String reason, String message, boolean warning);

  /** Sends what is still queued, waiting a few seconds at most. */
  @Override
  void close();

  /** Makes the events of one shard's run. */
  @FunctionalInterface
  interface Factory {
    ShardEvents forShard(ShardSpec shard);
  }
}
