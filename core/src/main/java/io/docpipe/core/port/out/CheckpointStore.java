package io.docpipe.core.port.out;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.ShardSpec;
import java.util.Optional;

/** Outgoing port for remembering how far each shard of a run got, so a killed worker resumes. */
public interface CheckpointStore {

  /** The last saved checkpoint of {@code shard}, if any. */
  Optional<Checkpoint> load(ShardSpec shard);

  /**
   * Saves {@code checkpoint} durably, replacing the previous one of its shard. Implementations that
   * share storage between shards must not lose another shard's concurrent save.
   */
  void save(Checkpoint checkpoint);
}
