package io.docpipe.gke;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.testkit.ChildJvms;
import io.docpipe.wiring.DocpipeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** Test support: corpora, worker processes (the real {@code worker} command in its own JVM). */
final class Workers {

  private Workers() {}

  /** {@code count} small one-chunk text documents {@code doc-0000.txt ...} with distinct text. */
  static List<DocumentId> corpus(Path root, int count, long seed) throws IOException {
    Files.createDirectories(root);
    Random random = new Random(seed);
    String[] words = {
      "index",
      "shard",
      "vector",
      "pod",
      "resume",
      "checkpoint",
      "kernel",
      "corpus",
      "search",
      "batch",
      "retry",
      "node",
      "drain",
      "cluster",
      "token",
      "chunk"
    };
    List<DocumentId> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StringBuilder text = new StringBuilder("Document " + i + " is about");
      for (int w = 0; w < 12; w++) {
        text.append(' ').append(words[random.nextInt(words.length)]);
      }
      String name = String.format("doc-%04d.txt", i);
      Files.writeString(root.resolve(name), text + ".\n", StandardCharsets.UTF_8);
      ids.add(DocumentId.of(name));
    }
    return ids;
  }

  /**
   * The environment of a worker over {@code corpus} with its index and checkpoints in {@code dir}.
   */
  static Map<String, String> env(Path corpus, Path indexDir, Path checkpointDir, ShardSpec shard) {
    Map<String, String> env = new HashMap<>();
    env.put("DOCPIPE_CORPUS", corpus.toString());
    env.put("DOCPIPE_INDEX_DIR", indexDir.toString());
    env.put("DOCPIPE_CHECKPOINT_DIR", checkpointDir.toString());
    env.put("DOCPIPE_SHARDS", Integer.toString(shard.count()));
    env.put("JOB_COMPLETION_INDEX", Integer.toString(shard.index()));
    env.put("DOCPIPE_ONNX_THREADS", "1");
    env.put("DOCPIPE_SHARD_BATCH_SIZE", "4");
    // Each test worker's own embedded index is the point: the tests read it afterwards.
    env.put("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true");
    return env;
  }

  /** Starts {@code docpipe gke worker} in a new JVM, output to {@code logs/<name>.out|.err}. */
  static Process start(Map<String, String> env, Path outcomeLog, Path logs, String name)
      throws IOException {
    Files.createDirectories(logs);
    ProcessBuilder builder =
        ChildJvms.processBuilder(
            ChildJvms.SHORT_LIVED,
            System.getProperty("java.class.path"),
            GkeCli.class.getName(),
            List.of("worker", "--outcome-log", outcomeLog.toString()));
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".out").toFile()));
    builder.redirectError(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".err").toFile()));
    return builder.start();
  }

  /** Waits for the process to exit, at most {@code timeout}; kills it and fails if it does not. */
  static int exitCode(Process process, Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("worker did not exit within " + timeout);
    }
    return process.exitValue();
  }

  /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes. */
  static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(20); // polling interval of a bounded wait, not a stand-in for a condition
    }
    return condition.getAsBoolean();
  }

  /** Lines of an outcome log (none when it does not exist yet). */
  static List<String> lines(Path log) {
    if (!Files.exists(log)) {
      return List.of();
    }
    try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
      return lines.toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** How many times the log says each document was embedded ({@code indexed} lines). */
  static Map<String, Integer> embeddings(Path log) {
    Map<String, Integer> counts = new HashMap<>();
    for (String line : lines(log)) {
      String[] parts = line.split(" ", 3);
      if (parts.length == 3 && parts[0].equals("indexed")) {
        counts.merge(parts[2], 1, Integer::sum);
      }
    }
    return counts;
  }

  /** Configuration to open a worker's index and checkpoints in-process, after it ran. */
  static DocpipeConfig config(Path indexDir, Path checkpointDir, Map<String, String> more) {
    Map<String, String> env = new HashMap<>(more);
    env.put("DOCPIPE_INDEX_DIR", indexDir.toString());
    env.put("DOCPIPE_CHECKPOINT_DIR", checkpointDir.toString());
    env.put("DOCPIPE_ONNX_THREADS", "1");
    return DocpipeConfig.fromEnvironment(env);
  }

  static DocpipeConfig config(Path indexDir, Path checkpointDir) {
    return config(indexDir, checkpointDir, Map.of());
  }

  /** The stderr of a worker, for assertion messages. */
  static String stderr(Path logs, String name) {
    try {
      Path file = logs.resolve(name + ".err");
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
