package io.docpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link CheckpointStore}: extend it and return a fresh, empty store from {@link
 * #newStore()} and, for durability, a second store over the same storage from {@link #reopen()} (an
 * in-memory store may return the same instance).
 *
 * <p>Checked: an unknown shard has no checkpoint; a saved checkpoint (Unicode document id, nothing
 * completed yet, or complete) loads back equal, also after a reopen; a later save replaces the
 * earlier; shards of one run and of another shard count are kept apart; concurrent saves of 8
 * shards from 4 threads all land (bounded to 60 s). No randomness.
 */
public abstract class CheckpointStoreContract {

  /** A fresh store with no checkpoints. */
  protected abstract CheckpointStore newStore();

  /**
   * Another store over the same storage as the last {@link #newStore()}, as a restarted worker sees
   * it.
   */
  protected abstract CheckpointStore reopen();

  private static Checkpoint checkpoint(
      ShardSpec shard, String last, long indexed, boolean complete) {
    return new Checkpoint(shard, DocumentId.of(last), new ShardProgress(indexed, 1, 2), complete);
  }

  @Test
  void anUnknownShard_hasNoCheckpoint() {
    assertThat(newStore().load(new ShardSpec(0, 1))).isEmpty();
  }

  @Test
  void aSavedCheckpoint_isLoadedBackEqual_alsoAfterAReopen() {
    CheckpointStore store = newStore();
    Checkpoint saved = checkpoint(new ShardSpec(2, 5), "docs/ä 文書 #1.txt", 41, false);
    store.save(saved);
    assertThat(store.load(new ShardSpec(2, 5))).contains(saved);
    assertThat(reopen().load(new ShardSpec(2, 5))).contains(saved);
  }

  @Test
  void aCheckpointWithNothingCompletedYet_roundTrips() {
    CheckpointStore store = newStore();
    Checkpoint start = Checkpoint.start(new ShardSpec(0, 3));
    store.save(start);
    assertThat(store.load(new ShardSpec(0, 3))).contains(start);
  }

  @Test
  void aLaterSave_replacesTheEarlierOne() {
    CheckpointStore store = newStore();
    ShardSpec shard = new ShardSpec(1, 2);
    store.save(checkpoint(shard, "a", 1, false));
    store.save(checkpoint(shard, "b", 2, true));
    assertThat(store.load(shard)).contains(checkpoint(shard, "b", 2, true));
  }

  @Test
  void shardsOfTheSameRun_andOfAnotherShardCount_areKeptApart() {
    CheckpointStore store = newStore();
    store.save(checkpoint(new ShardSpec(0, 2), "a", 1, false));
    store.save(checkpoint(new ShardSpec(1, 2), "b", 2, false));
    assertThat(store.load(new ShardSpec(0, 2)))
        .contains(checkpoint(new ShardSpec(0, 2), "a", 1, false));
    assertThat(store.load(new ShardSpec(1, 2)))
        .contains(checkpoint(new ShardSpec(1, 2), "b", 2, false));
    assertThat(store.load(new ShardSpec(0, 3))).isEmpty();
  }

  @Test
  void concurrentSavesOfDifferentShards_allLand() throws Exception {
    CheckpointStore store = newStore();
    int shards = 8;
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        ShardSpec shard = new ShardSpec(s, shards);
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 1; i <= 20; i++) {
                    store.save(checkpoint(shard, "doc-" + i, i, false));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    for (int s = 0; s < shards; s++) {
      ShardSpec shard = new ShardSpec(s, shards);
      assertThat(store.load(shard))
          .as("shard " + shard)
          .contains(checkpoint(shard, "doc-20", 20, false));
    }
  }
}
