package io.docpipe.gke;

import io.docpipe.core.model.ShardSpec;
import io.docpipe.wiring.EnvironmentReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What one worker pod runs: its shard, the corpus, and how it batches, tolerates failures and
 * stops. Read from the environment the Job's pod template sets.
 *
 * @param shard {@code JOB_COMPLETION_INDEX} of {@code DOCPIPE_SHARDS}
 * @param corpus {@code DOCPIPE_CORPUS}: a directory, or a manifest file listing paths relative to
 *     its own directory ({@code file:} URIs are accepted)
 * @param batchSize {@code DOCPIPE_SHARD_BATCH_SIZE}: documents per checkpoint
 * @param maxFailureRatio {@code DOCPIPE_MAX_FAILURE_RATIO}: above it the shard fails
 * @param grace {@code DOCPIPE_SHUTDOWN_GRACE_SECONDS}: how long SIGTERM waits for the document in
 *     flight and the checkpoint; keep it below the pod's {@code terminationGracePeriodSeconds}
 */
record WorkerSettings(
    ShardSpec shard, Path corpus, int batchSize, double maxFailureRatio, Duration grace) {

  /**
   * Says that an embedded index per pod, lost when the pod ends, is intended (tests, demos). The
   * Lambda and ECS runtimes read the same name.
   */
  static final String ALLOW_EPHEMERAL_INDEX = "DOCPIPE_ALLOW_EPHEMERAL_INDEX";

  WorkerSettings {
    Objects.requireNonNull(shard, "shard");
    Objects.requireNonNull(corpus, "corpus");
    Objects.requireNonNull(grace, "grace");
  }

  /** The result of reading: settings, or every problem found. */
  sealed interface Read {
    record Valid(WorkerSettings settings) implements Read {}

    record Invalid(List<String> problems) implements Read {}
  }

  /** Reads the worker's variables alone (tests; the worker reads them with {@link #read}). */
  static Read fromEnvironment(Map<String, String> env) {
    EnvironmentReader reader = new EnvironmentReader(env);
    WorkerSettings settings = read(reader);
    return settings == null
        ? new Read.Invalid(List.copyOf(reader.problems()))
        : new Read.Valid(settings);
  }

  /**
   * Reads the worker's variables with {@code r}, which goes on to read the pipeline's ({@code
   * DocpipeConfig.fromEnvironment(r)} then fails once with the problems of both).
   *
   * @return the settings, or {@code null} when {@code r} found a problem in them
   */
  static @Nullable WorkerSettings read(EnvironmentReader r) {
    int problemsBefore = r.problems().size();
    int count = r.integer("DOCPIPE_SHARDS", 1, 1, 100_000);
    int index = r.integer("JOB_COMPLETION_INDEX", count == 1 ? 0 : -1, 0, 99_999);
    if (index == -1) {
      r.problem(
          "JOB_COMPLETION_INDEX must be set when DOCPIPE_SHARDS > 1 (an Indexed Job sets it)");
    } else if (index >= count) {
      r.problem(
          "JOB_COMPLETION_INDEX='"
              + index
              + "' must be less than DOCPIPE_SHARDS ("
              + count
              + "): the Job's completions and DOCPIPE_SHARDS differ");
    }
    int batch = r.integer("DOCPIPE_SHARD_BATCH_SIZE", 32, 1, 10_000);
    int grace = r.integer("DOCPIPE_SHUTDOWN_GRACE_SECONDS", 25, 1, 3600);
    double ratio = r.decimal("DOCPIPE_MAX_FAILURE_RATIO", 0.05, 0, 1);
    Path corpus = null;
    String rawCorpus = r.string("DOCPIPE_CORPUS", "");
    if (rawCorpus.isEmpty()) {
      r.problem("DOCPIPE_CORPUS must name the corpus: a directory or a manifest file");
    } else {
      try {
        corpus =
            rawCorpus.startsWith("file:")
                ? Path.of(java.net.URI.create(rawCorpus))
                : Path.of(rawCorpus);
      } catch (IllegalArgumentException e) {
        r.problem(
            "DOCPIPE_CORPUS='"
                + rawCorpus
                + "' must be a local path or file: URI: "
                + e.getMessage());
      }
    }
    if (r.problems().size() > problemsBefore || corpus == null) {
      return null;
    }
    return new WorkerSettings(
        new ShardSpec(index, count), corpus, batch, ratio, Duration.ofSeconds(grace));
  }

  /**
   * Refuses to lose data: with more than one shard every pod would write its own embedded index,
   * which nothing reads and which is gone when the pod ends, while the Job reports success. One
   * shard (a local run) or an explicit {@value #ALLOW_EPHEMERAL_INDEX}{@code =true} is accepted.
   *
   * @return the problems, empty when the index placement is fine
   */
  static List<String> indexPlacementProblems(
      ShardSpec shard, boolean embeddedIndex, Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    String raw = env.getOrDefault(ALLOW_EPHEMERAL_INDEX, "").strip();
    boolean allowed = false;
    if (!raw.isEmpty()) {
      switch (raw.toLowerCase(java.util.Locale.ROOT)) {
        case "true" -> allowed = true;
        case "false" -> allowed = false;
        default -> problems.add(ALLOW_EPHEMERAL_INDEX + "='" + raw + "' must be true or false");
      }
    }
    if (embeddedIndex && shard.count() > 1 && !allowed && problems.isEmpty()) {
      problems.add(
          "DOCPIPE_VECTOR_STORE is lucene (an embedded index in this pod, lost when it ends) while"
              + " DOCPIPE_SHARDS="
              + shard.count()
              + ": set DOCPIPE_VECTOR_STORE=qdrant with DOCPIPE_QDRANT_HOST (and"
              + " DOCPIPE_QDRANT_API_KEY; deploy/k8s does), or "
              + ALLOW_EPHEMERAL_INDEX
              + "=true if a throwaway index per pod is intended");
    }
    return problems;
  }
}
