package io.docpipe.core.port.in;

import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.model.StopSignal;
import java.util.Objects;

/**
 * Run one shard of the corpus: documents are ingested {@code batchSize} at a time, with a
 * checkpoint after each batch. The run fails once more than {@code maxFailureRatio} of the
 * documents processed so far failed (after at least one full batch).
 */
public record ShardCommand(
    ShardSpec shard, int batchSize, double maxFailureRatio, StopSignal stop) {

  public ShardCommand {
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(stop, "stop");
    if (batchSize < 1 || batchSize > 10_000) {
      throw new IllegalArgumentException("batch size must be in [1, 10000]: " + batchSize);
    }
    if (!(maxFailureRatio >= 0 && maxFailureRatio <= 1)) {
      throw new IllegalArgumentException("max failure ratio must be in [0, 1]: " + maxFailureRatio);
    }
  }

  public static ShardCommand of(ShardSpec shard) {
    return new ShardCommand(shard, 32, 0.05, StopSignal.NEVER);
  }
}
