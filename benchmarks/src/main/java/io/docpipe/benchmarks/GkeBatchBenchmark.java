package io.docpipe.benchmarks;

import io.docpipe.onnx.OnnxModelPreparation;
import io.docpipe.onnx.OnnxSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * GKE batch indexing, documents per wall second: {@code GkeCli worker} processes as the Indexed Job
 * runs them (one per shard: {@code DOCPIPE_SHARDS}, {@code JOB_COMPLETION_INDEX}), each with its
 * own index and checkpoints, over one corpus of SciFact documents, embedded in-process. Two workers
 * against one (the baseline) on the same corpus: the ratio is what sharding gives. Each worker
 * embeds on one ONNX Runtime thread, as a 1-CPU pod would; the wall time includes JVM start and
 * model load, as a Job's does, with the default model prepared as the worker image prepares it at
 * build (ADR 0033: the optimised graph mapped, ONNX Runtime's libraries from a directory) and the
 * image's JVM flags ({@link #IMAGE_JVM_FLAGS}: C1 only), with a smaller heap and the serial GC, as
 * every child JVM here.
 */
final class GkeBatchBenchmark {

  private static final Duration RUN = Duration.ofMinutes(30);

  /**
   * The JVM flags the worker image runs with (adapters/gke/pom.xml's jib {@code jvmFlags}, ADR
   * 0038) but its ONNX Runtime library path, which the run adds. {@code -XX:MaxRAMPercentage=75} is
   * left out: it sizes the heap for a pod of its own, and the workers share this machine.
   */
  static final List<String> IMAGE_JVM_FLAGS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-XX:+ExitOnOutOfMemoryError",
          "-XX:TieredStopAtLevel=1");

  record Result(int documents, Samples oneWorker, Samples twoWorkers) {}

  private GkeBatchBenchmark() {}

  static Result run(
      TextCorpus source, int documents, Path work, int warmups, int runs, @Nullable Path recording)
      throws IOException {
    Path corpus = source.writeFolder(work.resolve("corpus"), documents);
    Path prepared = work.resolve("onnx");
    OnnxModelPreparation.prepare(prepared, List.of(OnnxSettings.DEFAULT_MODEL));
    // One worker, then two, in each round: both sides see the same drift in the machine's load.
    List<Double> one = new ArrayList<>();
    List<Double> two = new ArrayList<>();
    for (int round = 0; round < warmups + runs; round++) {
      double oneWorker =
          run(corpus, prepared, 1, documents, work.resolve("r" + round + "-1"), null);
      double twoWorkers =
          run(corpus, prepared, 2, documents, work.resolve("r" + round + "-2"), null);
      if (round >= warmups) {
        one.add(oneWorker);
        two.add(twoWorkers);
      }
    }
    if (recording != null) {
      run(corpus, prepared, 2, documents, work.resolve("profiled"), recording);
    }
    return new Result(documents, new Samples(one), new Samples(two));
  }

  /** One Job run with {@code shards} workers at once; documents per second of wall time. */
  private static double run(
      Path corpus, Path prepared, int shards, int documents, Path dir, @Nullable Path recording) {
    List<ChildJvm> workers = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      Path outcomes = dir.resolve("outcomes.log");
      long start = System.nanoTime();
      for (int shard = 0; shard < shards; shard++) {
        List<String> jvm = new ArrayList<>(IMAGE_JVM_FLAGS);
        jvm.add("-Xmx512m");
        jvm.add("-Donnxruntime.native.path=" + OnnxModelPreparation.nativeLibraries(prepared));
        if (recording != null && shard == 0) {
          jvm.addAll(ChildJvm.flightRecording(recording));
        }
        workers.add(
            ChildJvm.start(
                jvm,
                "io.docpipe.gke.GkeCli",
                List.of("worker", "--outcome-log", outcomes.toString()),
                Map.of(
                    "DOCPIPE_CORPUS", corpus.toString(),
                    "DOCPIPE_INDEX_DIR", dir.resolve("index-" + shard).toString(),
                    "DOCPIPE_CHECKPOINT_DIR", dir.resolve("checkpoints-" + shard).toString(),
                    "DOCPIPE_SHARDS", Integer.toString(shards),
                    "JOB_COMPLETION_INDEX", Integer.toString(shard),
                    "DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true",
                    "DOCPIPE_ONNX_PREPARED_DIR", prepared.toString(),
                    "DOCPIPE_ONNX_THREADS", "1"),
                dir.resolve("worker-" + shard + ".log")));
      }
      for (ChildJvm worker : workers) {
        int exit = worker.awaitExit(RUN);
        if (exit != 0) {
          throw new IllegalStateException("worker exited with " + exit + ":\n" + worker.tail());
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      long indexed =
          Files.readAllLines(outcomes, StandardCharsets.UTF_8).stream()
              .filter(l -> l.startsWith("indexed "))
              .count();
      if (indexed != documents) {
        throw new IllegalStateException(
            shards + " workers indexed " + indexed + " of " + documents + " documents");
      }
      return documents / seconds;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      workers.forEach(ChildJvm::close);
    }
  }
}
