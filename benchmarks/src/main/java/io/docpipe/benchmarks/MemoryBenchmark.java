package io.docpipe.benchmarks;

import io.docpipe.testkit.EmbeddingsStandIn;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Memory boundedness of ingestion: docpipe's ingest use case as {@code docpipe ingest} runs it
 * ({@link MemoryIngestMain}, in a JVM of its own with a fixed {@code -Xmx}) over a directory of
 * generated text files totalling {@code bytes}, its RSS sampled from /proc over time. There is no
 * baseline: the question is whether the peak stays flat as the corpus grows, not how it compares.
 * Embeddings come from {@link EmbeddingsStandIn}, so the run takes minutes, not the hours the
 * in-process model would need for a gigabyte.
 */
final class MemoryBenchmark {

  static final String XMX = "-Xmx512m";
  static final int SAMPLE_MILLIS = 200;
  static final int CHUNK_TOKENS = 8000;
  static final int FILE_BYTES = 1 << 20;
  private static final Duration RUN = Duration.ofHours(2);
  private static final Pattern SUMMARY = Pattern.compile("(\\d+ documents: [^\\n]*)");
  private static final String[] WORDS =
      ("harbour tide vessel anchor current chart beacon pilot cargo ballast keel hull mast sail"
              + " rudder compass sounding channel estuary quay crane berth draught swell gale")
          .split(" ");

  record Result(
      long bytes,
      int files,
      long peakRssBytes,
      long peakAnonymousBytes,
      double seconds,
      List<double[]> rssMegabytes,
      List<double[]> anonymousMegabytes,
      String outcome) {}

  private MemoryBenchmark() {}

  static Result run(Path work, long bytes, @Nullable Path recording) throws IOException {
    Path corpus = work.resolve("corpus");
    int files = generate(corpus, bytes);
    try (EmbeddingsStandIn standIn = MemoryIngestMain.embeddingsStandIn()) {
      List<String> jvm =
          new java.util.ArrayList<>(List.of(XMX, "--add-modules", "jdk.incubator.vector"));
      if (recording != null) {
        jvm.addAll(ChildJvm.flightRecording(recording));
      }
      try (ChildJvm cli =
          ChildJvm.start(
              jvm,
              MemoryIngestMain.class.getName(),
              List.of(
                  corpus.toString(),
                  work.resolve("index").toString(),
                  standIn.baseUrl(),
                  Integer.toString(CHUNK_TOKENS)),
              Map.of(),
              work.resolve("ingest.log"))) {
        List<RssSampler.Sample> samples =
            RssSampler.sample(cli, Duration.ofMillis(SAMPLE_MILLIS), RUN);
        int exit = cli.awaitExit(Duration.ofMinutes(1));
        if (exit != 0 || samples.isEmpty()) {
          throw new IllegalStateException(
              "docpipe ingest exited with " + exit + ":\n" + cli.tail());
        }
        Matcher m = SUMMARY.matcher(cli.tail());
        String outcome = m.find() ? "The run: `" + m.group(1).strip() + "`." : "";
        double seconds = samples.getLast().seconds();
        return new Result(
            bytes,
            files,
            RssSampler.peak(samples),
            RssSampler.peakAnonymous(samples),
            seconds,
            samples.stream().map(s -> new double[] {s.seconds(), s.bytes() / 1e6}).toList(),
            samples.stream()
                .map(s -> new double[] {s.seconds(), s.anonymousBytes() / 1e6})
                .toList(),
            outcome);
      }
    }
  }

  /** Text files of {@link #FILE_BYTES} each (random words, seeded), {@code bytes} in all. */
  static int generate(Path dir, long bytes) throws IOException {
    Files.createDirectories(dir);
    SplittableRandom random = new SplittableRandom(11);
    int files = (int) Math.max(1, bytes / FILE_BYTES);
    StringBuilder line = new StringBuilder(128);
    for (int f = 0; f < files; f++) {
      try (BufferedWriter out =
          Files.newBufferedWriter(
              dir.resolve("doc-%05d.txt".formatted(f)), StandardCharsets.UTF_8)) {
        long written = 0;
        while (written < FILE_BYTES) {
          line.setLength(0);
          for (int w = 0; w < 14; w++) {
            line.append(WORDS[random.nextInt(WORDS.length)]).append(w == 13 ? ".\n" : " ");
          }
          out.append(line);
          written += line.length();
        }
      }
    }
    return files;
  }
}
