package io.docpipe.gke;

import io.docpipe.core.model.ShardSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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

  /** The variables read here; {@code DocpipeConfig} reads the rest. */
  static final Set<String> VARIABLES =
      Set.of(
          "JOB_COMPLETION_INDEX",
          "DOCPIPE_SHARDS",
          "DOCPIPE_CORPUS",
          "DOCPIPE_SHARD_BATCH_SIZE",
          "DOCPIPE_MAX_FAILURE_RATIO",
          "DOCPIPE_SHUTDOWN_GRACE_SECONDS",
          ALLOW_EPHEMERAL_INDEX);

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

  static Read fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    int count = integer(env, "DOCPIPE_SHARDS", 1, 1, 100_000, problems);
    int index = integer(env, "JOB_COMPLETION_INDEX", count == 1 ? 0 : -1, 0, 99_999, problems);
    if (index == -1) {
      problems.add(
          "JOB_COMPLETION_INDEX must be set when DOCPIPE_SHARDS > 1 (an Indexed Job sets it)");
    } else if (index >= count) {
      problems.add(
          "JOB_COMPLETION_INDEX='"
              + index
              + "' must be less than DOCPIPE_SHARDS ("
              + count
              + "): the Job's completions and DOCPIPE_SHARDS differ");
    }
    int batch = integer(env, "DOCPIPE_SHARD_BATCH_SIZE", 32, 1, 10_000, problems);
    int grace = integer(env, "DOCPIPE_SHUTDOWN_GRACE_SECONDS", 25, 1, 3600, problems);
    double ratio = 0.05;
    String rawRatio = value(env, "DOCPIPE_MAX_FAILURE_RATIO");
    if (rawRatio != null) {
      try {
        ratio = Double.parseDouble(rawRatio);
        if (!(ratio >= 0 && ratio <= 1)) {
          throw new NumberFormatException();
        }
      } catch (NumberFormatException e) {
        problems.add("DOCPIPE_MAX_FAILURE_RATIO='" + rawRatio + "' must be a number from 0 to 1");
      }
    }
    Path corpus = null;
    String rawCorpus = value(env, "DOCPIPE_CORPUS");
    if (rawCorpus == null) {
      problems.add("DOCPIPE_CORPUS must name the corpus: a directory or a manifest file");
    } else {
      try {
        corpus =
            rawCorpus.startsWith("file:")
                ? Path.of(java.net.URI.create(rawCorpus))
                : Path.of(rawCorpus);
      } catch (IllegalArgumentException e) {
        problems.add(
            "DOCPIPE_CORPUS='"
                + rawCorpus
                + "' must be a local path or file: URI: "
                + e.getMessage());
      }
    }
    if (!problems.isEmpty() || corpus == null) {
      return new Read.Invalid(problems);
    }
    return new Read.Valid(
        new WorkerSettings(
            new ShardSpec(index, count), corpus, batch, ratio, Duration.ofSeconds(grace)));
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
    String raw = value(env, ALLOW_EPHEMERAL_INDEX);
    boolean allowed = false;
    if (raw != null) {
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

  /** The environment without the variables read here, for {@code DocpipeConfig}. */
  static Map<String, String> rest(Map<String, String> env) {
    Map<String, String> rest = new HashMap<>(env);
    rest.keySet().removeAll(VARIABLES);
    return rest;
  }

  private static @org.jspecify.annotations.Nullable String value(
      Map<String, String> env, String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static int integer(
      Map<String, String> env, String name, int fallback, int min, int max, List<String> problems) {
    String v = value(env, name);
    if (v == null) {
      return fallback;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + "='" + v + "' must be a whole number from " + min + " to " + max);
    return fallback;
  }
}
