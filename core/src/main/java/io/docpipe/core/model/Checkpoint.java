package io.docpipe.core.model;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How far one shard got: every document of the shard up to and including {@code lastCompleted} (in
 * {@link DocumentId} order) has an outcome. A restarted worker resumes after it.
 */
public record Checkpoint(
    ShardSpec shard, @Nullable DocumentId lastCompleted, ShardProgress progress, boolean complete) {

  public Checkpoint {
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(progress, "progress");
  }

  public static Checkpoint start(ShardSpec shard) {
    return new Checkpoint(shard, null, ShardProgress.ZERO, false);
  }
}
