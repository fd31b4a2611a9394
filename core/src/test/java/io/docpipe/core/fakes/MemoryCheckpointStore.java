package io.docpipe.core.fakes;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Checkpoints in a map, with the history of saves for assertions. */
public final class MemoryCheckpointStore implements CheckpointStore {
  private final Map<ShardSpec, Checkpoint> checkpoints = new ConcurrentHashMap<>();
  private final List<Checkpoint> saves = new ArrayList<>();

  @Override
  public Optional<Checkpoint> load(ShardSpec shard) {
    return Optional.ofNullable(checkpoints.get(shard));
  }

  @Override
  public synchronized void save(Checkpoint checkpoint) {
    checkpoints.put(checkpoint.shard(), checkpoint);
    saves.add(checkpoint);
  }

  public synchronized List<Checkpoint> saves() {
    return List.copyOf(saves);
  }
}
