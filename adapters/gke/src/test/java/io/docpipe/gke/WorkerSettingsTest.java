package io.docpipe.gke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.in.ShardReport;
import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.EnvironmentReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerSettingsTest {

  @TempDir Path temp;

  @Test
  void anIndexedJobsPod_readsItsShardFromJobCompletionIndex() {
    var read =
        WorkerSettings.fromEnvironment(
            Map.of(
                "JOB_COMPLETION_INDEX", "3",
                "DOCPIPE_SHARDS", "8",
                "DOCPIPE_CORPUS", "file:///corpus/handbook",
                "DOCPIPE_MAX_FAILURE_RATIO", "0.2",
                "DOCPIPE_SHUTDOWN_GRACE_SECONDS", "20"));
    assertThat(read)
        .isEqualTo(
            new WorkerSettings.Read.Valid(
                new WorkerSettings(
                    new ShardSpec(3, 8),
                    Path.of("/corpus/handbook"),
                    32,
                    0.2,
                    Duration.ofSeconds(20))));
  }

  @Test
  void everyProblem_isReportedAtOnce() {
    var read =
        WorkerSettings.fromEnvironment(
            Map.of(
                "JOB_COMPLETION_INDEX", "8",
                "DOCPIPE_SHARDS", "8",
                "DOCPIPE_MAX_FAILURE_RATIO", "1.5",
                "DOCPIPE_SHARD_BATCH_SIZE", "zero"));
    assertThat(read)
        .isInstanceOfSatisfying(
            WorkerSettings.Read.Invalid.class,
            invalid ->
                assertThat(invalid.problems())
                    .anyMatch(
                        p ->
                            p.startsWith(
                                "JOB_COMPLETION_INDEX='8' must be less than DOCPIPE_SHARDS"))
                    .anyMatch(p -> p.startsWith("DOCPIPE_MAX_FAILURE_RATIO='1.5'"))
                    .anyMatch(p -> p.startsWith("DOCPIPE_SHARD_BATCH_SIZE='zero'"))
                    .anyMatch(p -> p.startsWith("DOCPIPE_CORPUS must name the corpus"))
                    .hasSize(4));
  }

  @Test
  void manyShards_withoutAnIndex_isAnError_oneShardNeedsNone() {
    assertThat(
            WorkerSettings.fromEnvironment(Map.of("DOCPIPE_SHARDS", "2", "DOCPIPE_CORPUS", "/c")))
        .isInstanceOf(WorkerSettings.Read.Invalid.class);
    assertThat(WorkerSettings.fromEnvironment(Map.of("DOCPIPE_CORPUS", "/c")))
        .isInstanceOf(WorkerSettings.Read.Valid.class);
  }

  @Test
  void theWorkersOwnVariables_areKnownToDocpipeConfig_soNoneIsWarnedAboutAsUnknown() {
    EnvironmentReader reader =
        new EnvironmentReader(
            Map.of(
                "DOCPIPE_CORPUS", "/c",
                "JOB_COMPLETION_INDEX", "0",
                "DOCPIPE_INDEX_DIR", "/i",
                "DOCPIPE_SHARDS_TYPO", "2"));
    assertThat(WorkerSettings.read(reader)).isNotNull();
    assertThat(DocpipeConfig.fromEnvironment(reader).indexDir()).isEqualTo(Path.of("/i"));
    assertThat(reader.unknown("DOCPIPE_")).containsExactly("DOCPIPE_SHARDS_TYPO");
  }

  @Test
  void problemsOfTheWorkerAndOfThePipeline_failTogether_inOneMessage() {
    EnvironmentReader reader =
        new EnvironmentReader(Map.of("DOCPIPE_SHARDS", "0", "DOCPIPE_CHUNK_TOKENS", "lots"));
    assertThat(WorkerSettings.read(reader)).isNull();
    assertThatThrownBy(() -> DocpipeConfig.fromEnvironment(reader))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_SHARDS='0'")
        .hasMessageContaining("DOCPIPE_CORPUS must name the corpus")
        .hasMessageContaining("DOCPIPE_CHUNK_TOKENS='lots'");
  }

  @Test
  void exitCodes_separateRetryFailIndexAndFailJob() {
    assertThat(ExitCode.of(ShardReport.Status.COMPLETED).code).isZero();
    assertThat(ExitCode.of(ShardReport.Status.STOPPED).code).isEqualTo(75);
    assertThat(ExitCode.of(ShardReport.Status.UNAVAILABLE).code).isEqualTo(75);
    assertThat(ExitCode.of(ShardReport.Status.TOO_MANY_FAILURES).code).isEqualTo(76);
    assertThat(ExitCode.of(ShardReport.Status.FAILED).code).isEqualTo(78);
  }

  @Test
  void aBadConfiguration_exits78_namingEveryProblem_beforeLoadingAnything() throws Exception {
    Path logs =
        exits78(
            Map.of(
                "DOCPIPE_SHARDS", "x",
                "DOCPIPE_CHUNK_TOKENS", "0",
                "DOCPIPE_CHECKPOINT_STORE", "configmap"),
            "bad");
    assertThat(Workers.stderr(logs, "bad"))
        .contains("DOCPIPE_SHARDS='x'")
        .contains("DOCPIPE_CHUNK_TOKENS='0'")
        .contains("DOCPIPE_CORPUS must name the corpus")
        .contains("DOCPIPE_CHECKPOINT_STORE=configmap needs");
  }

  @Test
  void aMissingCorpus_exits78() throws Exception {
    Path logs =
        exits78(
            Map.of(
                "DOCPIPE_CORPUS", temp.resolve("nowhere").toString(),
                "DOCPIPE_INDEX_DIR", temp.resolve("i").toString()),
            "missing");
    assertThat(Files.readString(logs.resolve("missing.out")))
        .contains("neither a directory nor a manifest");
  }

  /**
   * Starts a worker with only {@code env}, asserts it exits 78 (bad configuration) within a minute,
   * and returns the folder of its logs ({@code <name>.out}, {@code <name>.err}).
   */
  private Path exits78(Map<String, String> env, String name) throws Exception {
    Path logs = temp.resolve("logs");
    Process p = Workers.start(env, temp.resolve("o.log"), logs, name);
    assertThat(Workers.exitCode(p, Duration.ofSeconds(60))).isEqualTo(78);
    return logs;
  }

  @Test
  void embeddedIndexWithSeveralShards_isRefused_withWhatToSet() {
    assertThat(WorkerSettings.indexPlacementProblems(new ShardSpec(0, 8), true, Map.of()))
        .singleElement()
        .asString()
        .contains("DOCPIPE_SHARDS=8")
        .contains("DOCPIPE_VECTOR_STORE=qdrant")
        .contains("DOCPIPE_ALLOW_EPHEMERAL_INDEX=true");
  }

  @Test
  void embeddedIndex_isAccepted_forOneShard_forQdrant_orWhenSaidToBeThrowaway() {
    assertThat(WorkerSettings.indexPlacementProblems(ShardSpec.whole(), true, Map.of())).isEmpty();
    assertThat(WorkerSettings.indexPlacementProblems(new ShardSpec(1, 8), false, Map.of()))
        .isEmpty();
    assertThat(
            WorkerSettings.indexPlacementProblems(
                new ShardSpec(1, 8), true, Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "TRUE")))
        .isEmpty();
    assertThat(
            WorkerSettings.indexPlacementProblems(
                new ShardSpec(1, 8), false, Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "yes")))
        .containsExactly("DOCPIPE_ALLOW_EPHEMERAL_INDEX='yes' must be true or false");
  }

  @Test
  void aWorkerOfAShardedJobOnTheEmbeddedIndex_exits78_beforeIndexingAnything() throws Exception {
    Path corpus = Files.createDirectories(temp.resolve("corpus"));
    Files.writeString(corpus.resolve("a.txt"), "a document that must not be indexed");
    Path index = temp.resolve("index");
    var env =
        new java.util.HashMap<>(
            Workers.env(corpus, index, temp.resolve("checkpoints"), new ShardSpec(0, 2)));
    env.remove("DOCPIPE_ALLOW_EPHEMERAL_INDEX");
    Path outcomes = temp.resolve("outcomes.log");
    Process worker = Workers.start(env, outcomes, temp.resolve("logs"), "refused");
    assertThat(Workers.exitCode(worker, Duration.ofSeconds(60)))
        .as("exit code (78: FailJob)")
        .isEqualTo(ExitCode.CONFIGURATION.code);
    assertThat(Workers.stderr(temp.resolve("logs"), "refused"))
        .contains("DOCPIPE_SHARDS=2")
        .contains("DOCPIPE_ALLOW_EPHEMERAL_INDEX=true");
    assertThat(Workers.lines(outcomes)).isEmpty();
    assertThat(index).doesNotExist();
  }
}
