package io.docpipe.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.testkit.EmbeddingsStandIn;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shard workers as real processes: killed with SIGKILL at random points and restarted, stopped with
 * SIGTERM, and two shards side by side. The index and the checkpoints are checked afterwards.
 */
class WorkerCrashResumeTest {

  private static final long SEED = Long.getLong("docpipe.crash.seed", 5_2026L);

  @TempDir Path temp;

  /**
   * Embeds through a local OpenAI-compatible stub, not the in-process model: dozens of restarts
   * would each load the model again. The stub counts embeddings itself.
   */
  @Test
  void killedAtRandomPoints_andRestarted_theShardEndsWithEveryDocumentExactlyOnce()
      throws Exception {
    Path corpus = temp.resolve("corpus");
    List<DocumentId> ids = Workers.corpus(corpus, 200, SEED);
    Path index = temp.resolve("index");
    Path checkpoints = temp.resolve("checkpoints");
    Path outcomes = temp.resolve("outcomes.log");
    Path logs = temp.resolve("logs");
    try (EmbeddingsStandIn embeddings = EmbeddingsStandIn.start(16, "stub")) {
      killAndRestart(corpus, ids, index, checkpoints, outcomes, logs, embeddings);
    }
  }

  private void killAndRestart(
      Path corpus,
      List<DocumentId> ids,
      Path index,
      Path checkpoints,
      Path outcomes,
      Path logs,
      EmbeddingsStandIn embeddings)
      throws Exception {
    Map<String, String> env = Workers.env(corpus, index, checkpoints, ShardSpec.whole());
    env.putAll(embeddings.env());
    Random random = new Random(SEED);
    int kills = 0;
    int exit = -1;
    long deadline = System.nanoTime() + Duration.ofMinutes(8).toNanos();
    // Kill 25 times (each time after a random amount of new progress), then let it finish.
    for (int run = 0; run < 40 && System.nanoTime() < deadline; run++) {
      int before = Workers.lines(outcomes).size();
      int progress = 1 + random.nextInt(6);
      Process worker = Workers.start(env, outcomes, logs, "run-" + run);
      if (kills < 25) {
        Workers.await(
            () -> !worker.isAlive() || Workers.lines(outcomes).size() >= before + progress,
            Duration.ofSeconds(60));
        if (worker.isAlive()) {
          worker.destroyForcibly(); // SIGKILL: no shutdown hook, no last checkpoint
          worker.waitFor();
          kills++;
          continue;
        }
      }
      exit = Workers.exitCode(worker, Duration.ofSeconds(120));
      if (exit == 0) {
        break;
      }
    }
    assertThat(kills).as("SIGKILLs delivered mid-run (seed %d)", SEED).isGreaterThanOrEqualTo(20);
    assertThat(exit).as("the last run completes; seed %d", SEED).isZero();

    assertThat(Workers.embeddings(outcomes).values())
        .as("documents logged as embedded more than twice (seed %d)", SEED)
        .allMatch(n -> n <= 2);
    Map<String, Integer> embedded = embeddings.countsPerText();
    assertThat(embedded).as("texts the embeddings API saw").hasSize(ids.size());
    assertThat(embedded.values())
        .as("no document embedded more than twice (seed %d)", SEED)
        .allMatch(n -> n <= 2);
    try (GkeComponent c =
        GkeComponent.create(
            Workers.config(index, checkpoints, embeddings.env()),
            ShardSpec.whole(),
            OutcomeLog.NONE)) {
      VectorStore store = c.vectorStore();
      Map<DocumentId, ContentHash> stored = store.storedHashes(ids);
      assertThat(stored.keySet())
          .as("every document indexed")
          .containsExactlyInAnyOrderElementsOf(ids);
      // One chunk per document: any duplicate point would raise the count.
      assertThat(store.count()).as("points in the index").isEqualTo(ids.size());
      Checkpoint checkpoint = c.checkpoints().load(ShardSpec.whole()).orElseThrow();
      assertThat(checkpoint.complete()).isTrue();
      assertThat(checkpoint.progress().processed()).isEqualTo(ids.size());
      assertThat(checkpoint.progress().failed()).isZero();
    }
  }

  @Test
  void twoShardsInTwoProcesses_splitTheCorpus_withNoOverlap() throws Exception {
    Path corpus = temp.resolve("corpus");
    List<DocumentId> ids = Workers.corpus(corpus, 120, SEED + 1);
    Path checkpoints = temp.resolve("checkpoints");
    Path logs = temp.resolve("logs");
    List<Process> workers = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      // Each shard has its own Lucene index: Lucene allows one writer per index directory.
      Map<String, String> env =
          Workers.env(corpus, temp.resolve("index-" + s), checkpoints, new ShardSpec(s, 2));
      workers.add(Workers.start(env, temp.resolve("outcomes-" + s + ".log"), logs, "shard-" + s));
    }
    for (int s = 0; s < 2; s++) {
      assertThat(Workers.exitCode(workers.get(s), Duration.ofSeconds(180)))
          .as("shard %d: %s", s, Workers.stderr(logs, "shard-" + s))
          .isZero();
    }
    List<Set<DocumentId>> shards = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      try (GkeComponent c =
          GkeComponent.create(
              Workers.config(temp.resolve("index-" + s), checkpoints),
              new ShardSpec(s, 2),
              OutcomeLog.NONE)) {
        Set<DocumentId> stored = new HashSet<>(c.vectorStore().storedHashes(ids).keySet());
        assertThat(c.vectorStore().count()).isEqualTo(stored.size());
        assertThat(stored).allMatch(id -> ShardSpec.shardOf(id, 2) == 0 + shards.size());
        assertThat(c.checkpoints().load(new ShardSpec(s, 2)).orElseThrow().complete()).isTrue();
        shards.add(stored);
      }
    }
    Set<DocumentId> union = new HashSet<>(shards.get(0));
    union.addAll(shards.get(1));
    Set<DocumentId> intersection = new HashSet<>(shards.get(0));
    intersection.retainAll(shards.get(1));
    assertThat(union).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(intersection).isEmpty();
    assertThat(shards).allSatisfy(s -> assertThat(s).isNotEmpty());
  }

  @Test
  void sigterm_savesTheCheckpoint_exitsRetriablyWithinTheGrace_andTheRestartFinishes()
      throws Exception {
    Path corpus = temp.resolve("corpus");
    List<DocumentId> ids = Workers.corpus(corpus, 200, SEED + 2);
    Path index = temp.resolve("index");
    Path checkpoints = temp.resolve("checkpoints");
    Path outcomes = temp.resolve("outcomes.log");
    Path logs = temp.resolve("logs");
    Map<String, String> env = Workers.env(corpus, index, checkpoints, ShardSpec.whole());
    env.put("DOCPIPE_SHUTDOWN_GRACE_SECONDS", "10");
    Process worker = Workers.start(env, outcomes, logs, "first");
    assertThat(Workers.await(() -> Workers.lines(outcomes).size() >= 10, Duration.ofSeconds(60)))
        .as(Workers.stderr(logs, "first"))
        .isTrue();
    long signalled = System.nanoTime();
    worker.destroy(); // SIGTERM, as the kubelet sends on drain or preemption
    int exit = Workers.exitCode(worker, Duration.ofSeconds(30));
    Duration took = Duration.ofNanos(System.nanoTime() - signalled);
    assertThat(exit).as(Workers.stderr(logs, "first")).isEqualTo(ExitCode.RETRY.code);
    assertThat(took).isLessThan(Duration.ofSeconds(10));
    // Documents of the window that the stop left unstarted are logged as failed not_started; they
    // are retriable, so the checkpoint stops before them and the restart does them.
    long logged =
        Workers.lines(outcomes).stream().filter(l -> !l.startsWith("failed not_started")).count();
    assertThat(logged).isLessThan(ids.size());
    try (GkeComponent c =
        GkeComponent.create(
            Workers.config(index, checkpoints), ShardSpec.whole(), OutcomeLog.NONE)) {
      Checkpoint saved = c.checkpoints().load(ShardSpec.whole()).orElseThrow();
      assertThat(saved.complete()).isFalse();
      // Everything the stopped worker finished is behind its checkpoint: nothing is redone.
      assertThat(saved.progress().processed()).isEqualTo(logged);
    }
    Process second = Workers.start(env, outcomes, logs, "second");
    assertThat(Workers.exitCode(second, Duration.ofSeconds(120)))
        .as(Workers.stderr(logs, "second"))
        .isZero();
    assertThat(Workers.embeddings(outcomes).values()).allMatch(n -> n == 1);
    assertThat(Workers.embeddings(outcomes)).hasSize(ids.size());
  }

  @Test
  void aFinishedShard_exitsThroughTheJvmsShutdown_soItsFlightRecordingIsWritten() throws Exception {
    Path corpus = temp.resolve("corpus");
    Workers.corpus(corpus, 8, SEED + 3);
    Path logs = temp.resolve("logs");
    Map<String, String> env =
        Workers.env(corpus, temp.resolve("index"), temp.resolve("checkpoints"), ShardSpec.whole());
    Path recording = temp.resolve("worker.jfr");
    // Dumped by the JVM's own shutdown hook: a stop hook that halts would cut it off.
    env.put(
        "JAVA_TOOL_OPTIONS",
        "-XX:StartFlightRecording=filename=" + recording + ",dumponexit=true,settings=default");
    Process worker = Workers.start(env, temp.resolve("outcomes.log"), logs, "recorded");

    assertThat(Workers.exitCode(worker, Duration.ofSeconds(120)))
        .as(Workers.stderr(logs, "recorded"))
        .isZero();
    assertThat(recording).as(Workers.stderr(logs, "recorded")).isRegularFile();
    assertThat(jdk.jfr.consumer.RecordingFile.readAllEvents(recording)).isNotEmpty();
  }
}
