package io.docpipe.testkit.example;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointStore;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** A third-party-style adapter: checkpoints in a map, as the README's worked example shows it. */
public final class InMemoryCheckpointStore implements CheckpointStore {
  private final Map<ShardSpec, Checkpoint> checkpoints = new ConcurrentHashMap<>();

  @Override
  public Optional<Checkpoint> load(ShardSpec shard) {
    return Optional.ofNullable(checkpoints.get(shard));
  }

  @Override
  public void save(Checkpoint checkpoint) {
    checkpoints.put(checkpoint.shard(), checkpoint);
  }
}
