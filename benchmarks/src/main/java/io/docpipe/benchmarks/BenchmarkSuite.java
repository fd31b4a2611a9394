package io.docpipe.benchmarks;

import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.docpipe.core.chunking.Chunker;
import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.model.Chunk;
import io.docpipe.core.model.DocumentId;
import io.docpipe.onnx.OnnxEmbeddingModel;
import io.docpipe.onnx.OnnxSettings;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Runs every comparison and rewrites the generated block of {@code docs/benchmarks.md} (between its
 * BEGIN/END markers; the hand-written sections around it stay) and the plots in {@code
 * docs/benchmarks/}. {@code --quick} runs small sizes; the default runs the sizes the issue asks
 * for. {@code --reuse-parts} keeps the results of comparisons that already ran (after a failure or
 * an interruption) and runs the others.
 *
 * <p>Each comparison runs in a JVM of its own ({@code --only <name>}), docpipe first, then the
 * baseline: three native libraries (onnxruntime, DJL's tokenizers, Lucene's vector code) share a
 * process otherwise, and one benchmark's leftovers must not tilt the next. (We saw onnxruntime
 * crash in a process that had run LangChain4j's model and DJL's tokenizer for 20 minutes; docpipe
 * alone has not crashed in any run.)
 */
public final class BenchmarkSuite {

  static final String BEGIN = "<!-- BEGIN GENERATED: benchmarks/run -->";
  static final String END = "<!-- END GENERATED: benchmarks/run -->";

  /** Comparisons whose docpipe side runs in this comparison's JVM. */
  static final List<String> IN_PROCESS = List.of("chunking", "embedding", "search", "ingest");

  /** Comparisons whose docpipe side runs as processes of their own (the runtimes, memory). */
  static final List<String> PROCESSES =
      List.of("lambda", "fargate", "gke", "tracing", "memory", "extraction");

  static final List<String> BENCHMARKS =
      java.util.stream.Stream.concat(IN_PROCESS.stream(), PROCESSES.stream()).toList();

  private BenchmarkSuite() {}

  record Sizes(
      long chunkingChars,
      double chunkingBaselineShare,
      int embeddingChunks,
      List<Integer> batchSizes,
      List<Integer> searchSizes,
      int searchQueries,
      int ingestDocuments,
      int ingestRuns,
      int ingestModelRuns,
      int warmups,
      int runs,
      int fargateDocuments,
      Duration fargateRound,
      int gkeDocuments,
      int tracingDocuments,
      int tracingRuns,
      long memoryBytes) {}

  static final Sizes QUICK =
      new Sizes(
          8_000_000,
          0.05,
          64,
          List.of(1, 4, 16, 64),
          List.of(10_000),
          200,
          100,
          3,
          1,
          1,
          5,
          2_000,
          Duration.ofSeconds(5),
          60,
          100,
          3,
          64L << 20);
  static final Sizes FULL =
      new Sizes(
          64_000_000,
          0.02,
          256,
          List.of(1, 2, 4, 8, 16, 32, 64),
          List.of(10_000, 100_000),
          500,
          2_000,
          5,
          5,
          1,
          5,
          10_000,
          Duration.ofSeconds(20),
          600,
          600,
          5,
          1L << 30);

  public static void main(String[] args) throws IOException, InterruptedException {
    List<String> arguments = List.of(args);
    boolean quick = arguments.contains("--quick");
    Sizes sizes = quick ? QUICK : FULL;
    Path root = Path.of(System.getProperty("docpipe.root", ".")).toAbsolutePath().normalize();
    Path datasets =
        Path.of(
            System.getProperty("docpipe.datasets", root.resolve("../shared/datasets").toString()));
    Path parts = root.resolve("benchmarks/target/parts");
    Path plots = root.resolve("docs/benchmarks");
    boolean profile = arguments.contains("--profile");
    int only = arguments.indexOf("--only");
    if (only >= 0) {
      String name = arguments.get(only + 1);
      Files.createDirectories(parts);
      @Nullable Path recording = profile ? parts.resolve(name + ".jfr").toAbsolutePath() : null;
      if (PROCESSES.contains(name)) {
        RuntimeComparisons.run(name, sizes, datasets, parts, plots, recording, quick);
      } else {
        runOne(name, sizes, datasets, parts, plots);
      }
      return;
    }
    Files.createDirectories(parts);
    Files.createDirectories(plots);
    log("machine: " + machine());
    boolean reuse = arguments.contains("--reuse-parts");
    for (String name : BENCHMARKS) {
      if (reuse && Files.exists(parts.resolve(name + ".ratios"))) {
        log(name + ": reusing " + parts.resolve(name + ".md"));
        continue;
      }
      log(name + "…");
      Files.deleteIfExists(parts.resolve(name + ".jfr"));
      runChild(name, args, profile && IN_PROCESS.contains(name) ? parts : null);
    }
    Ratios ratios = Ratios.readAll(parts, BENCHMARKS);
    Plots.ratios(plots.resolve("ratios.png"), ratios.names(), ratios.medians(), ratios.goals());
    if (profile) {
      log("profiles: the docpipe side of each comparison that misses a goal, summarised below it");
    }
    StringBuilder md = new StringBuilder();
    md.append(BEGIN).append("\n## docpipe vs LangChain4j (generated)\n\n");
    md.append("Generated by `benchmarks/run")
        .append(quick ? " --quick" : "")
        .append(profile ? " --profile" : "")
        .append("`. Each number is the median of the recorded runs with the min–max range and the")
        .append(" run count; warm-up runs are excluded. Each comparison runs in a fresh JVM,")
        .append(
            " docpipe then its baseline (LangChain4j 0.36.2, or the floor/ceiling named in the row)"
                + " on the same data, so the ratios hold when other")
        .append(" work shares the machine; absolute numbers do not. The runs (their sizes, machine")
        .append(" and load average when each started; a comparison kept with --reuse-parts keeps")
        .append(" its own line):\n\n");
    for (String name : BENCHMARKS) {
      md.append("- ")
          .append(Files.readString(parts.resolve(name + ".meta"), StandardCharsets.UTF_8).strip())
          .append("\n");
    }
    md.append("\n");
    md.append("![ratios](benchmarks/ratios.png)\n\n");
    md.append(
        "| comparison | docpipe | baseline (LangChain4j unless named) | ratio (median, range) | goal |\n");
    md.append("|---|---|---|---|---|\n");
    for (String name : BENCHMARKS) {
      md.append(Files.readString(parts.resolve(name + ".md"), StandardCharsets.UTF_8));
    }
    for (String name : BENCHMARKS) {
      Path extra = parts.resolve(name + ".extra.md");
      if (Files.exists(extra)) {
        md.append("\n").append(Files.readString(extra, StandardCharsets.UTF_8));
      }
      Path recording = parts.resolve(name + ".jfr");
      if (profile
          && Files.exists(recording)
          && Ratios.read(parts.resolve(name + ".ratios")).anyMissed()) {
        String what =
            name
                + (IN_PROCESS.contains(name)
                    ? " (the whole comparison JVM, docpipe and baseline: see the docpipe frames)"
                    : " (one extra docpipe run, not among the recorded ones)");
        md.append("\n").append(JfrSummary.markdownOrReason(recording, 10, what));
      }
    }
    md.append(
        "\nHow each is measured: `benchmarks/src/main/java/io/docpipe/benchmarks/` (one class per"
            + " comparison; each says what its baseline is and why it is the fair one).\n");
    md.append(END).append("\n");
    writeBlock(root.resolve("docs/benchmarks.md"), md.toString());
    log("wrote docs/benchmarks.md and " + plots);
  }

  /**
   * Runs one comparison in a fresh JVM with this JVM's flags and classpath; under a flight
   * recording into {@code recordings} unless that is null.
   */
  private static void runChild(String name, String[] args, @Nullable Path recordings)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
    if (recordings != null) {
      command.addAll(ChildJvm.flightRecording(recordings.resolve(name + ".jfr").toAbsolutePath()));
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchmarkSuite.class.getName());
    command.addAll(List.of(args));
    command.add("--only");
    command.add(name);
    Process child = new ProcessBuilder(command).inheritIO().start();
    if (!child.waitFor(3, TimeUnit.HOURS)) {
      child.destroyForcibly();
      throw new IllegalStateException(name + " did not finish in 3 hours");
    }
    if (child.exitValue() != 0) {
      throw new IllegalStateException(name + " failed with exit code " + child.exitValue());
    }
  }

  private static void runOne(String name, Sizes sizes, Path datasets, Path parts, Path plots)
      throws IOException {
    Instant started = Instant.now();
    String machine = machine();
    TextCorpus corpus = TextCorpus.scifact(datasets);
    Ratios ratios = new Ratios();
    StringBuilder rows = new StringBuilder();
    StringBuilder extra = new StringBuilder();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults())) {
      switch (name) {
        case "chunking" -> {
          List<String> docs = corpus.documents(6_000, sizes.chunkingChars());
          ChunkingBenchmark.Result r =
              ChunkingBenchmark.run(
                  docs, sizes.chunkingBaselineShare(), model, sizes.warmups(), sizes.runs());
          ratios.add("chunking MB/CPU-s", r.ratio().median(), 5.0);
          rows.append(
              "| chunking, 256/32 word pieces, %s MB of SciFact prose (baseline on the first %s MB) | %s | %s | %s | ≥ 5× and ≥ 50 MB/s/core |\n"
                  .formatted(
                      Samples.fmt(r.corpusBytes() / 1e6),
                      Samples.fmt(r.baselineBytes() / 1e6),
                      r.docpipeMbPerCpuSecond().format("MB/CPU-s"),
                      r.baselineMbPerCpuSecond().format("MB/CPU-s"),
                      r.ratio().format("×")));
        }
        case "embedding" -> {
          List<String> chunks = chunks(corpus, model, sizes.embeddingChunks());
          List<EmbeddingBenchmark.Point> points =
              EmbeddingBenchmark.run(
                  chunks,
                  sizes.batchSizes(),
                  model,
                  new AllMiniLmL6V2EmbeddingModel(),
                  sizes.warmups(),
                  sizes.runs());
          EmbeddingBenchmark.Point best =
              points.stream()
                  .max(java.util.Comparator.comparingDouble(p -> p.docpipe().median()))
                  .orElseThrow();
          double bestTheirs =
              points.stream().mapToDouble(p -> p.baseline().median()).max().orElseThrow();
          ratios.add("embedding chunks/CPU-s", best.docpipe().median() / bestTheirs, 1.5);
          rows.append(
              "| embedding, %d SciFact chunks of ≤ 128 word pieces (the baseline model's input limit), best batch size of each (ours: %d) | %s | %s | %s× | ≥ 1.5× |\n"
                  .formatted(
                      chunks.size(),
                      best.batchSize(),
                      best.docpipe().format("chunks/CPU-s"),
                      Samples.fmt(bestTheirs) + " chunks/CPU-s",
                      Samples.fmt(best.docpipe().median() / bestTheirs)));
          Plots.embedding(
              plots.resolve("embedding.png"),
              EmbeddingBenchmark.medians(points, true),
              EmbeddingBenchmark.medians(points, false));
          extra.append(
              "Embedding throughput by batch size, chunks per CPU-second:\n\n"
                  + "![embedding](benchmarks/embedding.png)\n\n"
                  + "| batch | docpipe | LangChain4j |\n|---|---|---|\n");
          for (EmbeddingBenchmark.Point p : points) {
            extra.append(
                "| %d | %s | %s |\n"
                    .formatted(p.batchSize(), p.docpipe().format(""), p.baseline().format("")));
          }
        }
        case "search" -> {
          List<SearchBenchmark.Result> results = new ArrayList<>();
          for (int size : sizes.searchSizes()) {
            SearchBenchmark.Result s =
                SearchBenchmark.run(size, sizes.searchQueries(), sizes.warmups(), sizes.runs(), 42);
            results.add(s);
            ratios.add("search p50 speed-up @" + size / 1000 + "k", s.p50Speedup().median(), 20.0);
            rows.append(
                "| search p50 @%,d × 384, k=10 (HNSW recall@10 vs exact: %.3f) | %s | %s | %s | ≥ 20× at recall ≥ 0.95 |\n"
                    .formatted(
                        s.size(),
                        s.recallAt10(),
                        s.docpipeP50Micros().format("µs"),
                        s.baselineP50Micros().format("µs"),
                        s.p50Speedup().format("×")));
            rows.append(
                "| search p99 @%,d | %s | %s | | |\n"
                    .formatted(
                        s.size(),
                        s.docpipeP99Micros().format("µs"),
                        s.baselineP99Micros().format("µs")));
            rows.append(
                "| exact scan @%,d (lucene exact mode) | %s | | | ≥ 4M vectors/s/core |\n"
                    .formatted(s.size(), s.exactScanVectorsPerCpuSecond().format("vectors/CPU-s")));
          }
          Plots.search(
              plots.resolve("search.png"),
              results.stream().map(s -> s.size() / 1000 + "k vectors").toList(),
              results.stream().map(s -> s.docpipeP50Micros().median()).toList(),
              results.stream().map(s -> s.baselineP50Micros().median()).toList());
          extra.append("![search](benchmarks/search.png)\n");
        }
        case "ingest" -> {
          List<String> docs =
              corpus
                  .documents(4_000, 8_000L * sizes.ingestDocuments())
                  .subList(0, sizes.ingestDocuments());
          Path scratch = Files.createTempDirectory("docpipe-bench");
          // The fp32 MiniLM (the like-for-like row) and its int8 export (the quantized row) get the
          // ratio rows' runs; the bge models only the per-model table's (issue 18).
          List<IngestBenchmark.ModelPlan> plans =
              List.of(
                  new IngestBenchmark.ModelPlan(
                      OnnxSettings.Model.ALL_MINILM_L6_V2,
                      () -> model, // already open; closing it twice is harmless
                      sizes.ingestRuns(),
                      true),
                  new IngestBenchmark.ModelPlan(
                      OnnxSettings.Model.ALL_MINILM_L6_V2_Q,
                      () -> openModel(OnnxSettings.Model.ALL_MINILM_L6_V2_Q),
                      sizes.ingestRuns(),
                      true),
                  new IngestBenchmark.ModelPlan(
                      OnnxSettings.Model.BGE_SMALL_EN_V15_Q,
                      () -> openModel(OnnxSettings.Model.BGE_SMALL_EN_V15_Q),
                      sizes.ingestModelRuns(),
                      false),
                  new IngestBenchmark.ModelPlan(
                      OnnxSettings.Model.BGE_SMALL_EN_V15,
                      () -> openModel(OnnxSettings.Model.BGE_SMALL_EN_V15),
                      sizes.ingestModelRuns(),
                      false));
          IngestBenchmark.Result r =
              IngestBenchmark.run(
                  docs,
                  plans,
                  AllMiniLmL6V2EmbeddingModel::new,
                  scratch,
                  sizes.warmups(),
                  sizes.ingestRuns());
          ingestRows(r, ratios, rows, extra);
        }
        default ->
            throw new IllegalArgumentException("no benchmark " + name + "; one of " + BENCHMARKS);
      }
    }
    writeParts(parts, name, sizes, started, machine, rows, extra, ratios);
  }

  private static io.docpipe.core.port.out.EmbeddingModel openModel(OnnxSettings.Model model) {
    return OnnxEmbeddingModel.of(OnnxSettings.defaults().withModel(model));
  }

  /**
   * The ingest comparison's rows: fp32 MiniLM against LangChain4j's (issue 19's 2×), its int8
   * export against the same baseline with both models' SciFact quality beside it (issue 19's 3.5×,
   * "quality within 0.01"), and a table of every shipped model on the same documents (issue 18).
   */
  static void ingestRows(
      IngestBenchmark.Result r, Ratios ratios, StringBuilder rows, StringBuilder extra) {
    OnnxSettings.Model fp32 = OnnxSettings.Model.ALL_MINILM_L6_V2;
    OnnxSettings.Model int8 = OnnxSettings.Model.ALL_MINILM_L6_V2_Q;
    IngestBenchmark.Side ours = r.of(fp32).side();
    IngestBenchmark.Side theirs = r.baseline();
    ratios.add("ingest docs/s", r.ratio(fp32).median(), 2.0);
    rows.append(
        "| end-to-end ingest, %,d docs (%s MB), chunks of 128 word pieces, in-process all-MiniLM-L6-v2, empty index each run | %s; %s | %s; %s | %s; per CPU-s %s | ≥ 2× |\n"
            .formatted(
                r.documents(),
                Samples.fmt(r.bytes() / 1e6),
                ours.docsPerSecond().format("docs/s"),
                ours.docsPerCpuSecond().format("docs/CPU-s"),
                theirs.docsPerSecond().format("docs/s"),
                theirs.docsPerCpuSecond().format("docs/CPU-s"),
                r.ratio(fp32).format("×"),
                r.cpuRatio(fp32).format("×")));
    IngestBenchmark.Quality q32 =
        java.util.Objects.requireNonNull(IngestBenchmark.SCIFACT.get(fp32));
    IngestBenchmark.Quality q8 =
        java.util.Objects.requireNonNull(IngestBenchmark.SCIFACT.get(int8));
    IngestBenchmark.Side quantized = r.of(int8).side();
    ratios.add("ingest docs/s, int8 MiniLM", r.ratio(int8).median(), 3.5);
    rows.append(
        ("| end-to-end ingest, same documents and chunks, docpipe with the int8 all-MiniLM-L6-v2-q"
                + " against the same fp32 LangChain4j baseline; SciFact nDCG@10 hybrid %.5f (fp32"
                + " %.5f, %+.4f), dense %.5f (fp32 %.5f, %+.4f), measured by docpipe eval, see"
                + " Retrieval quality | %s; %s | %s; %s | %s; per CPU-s %s | ≥ 3.5× with SciFact within 0.01 |\n")
            .formatted(
                q8.hybrid(),
                q32.hybrid(),
                q8.hybrid() - q32.hybrid(),
                q8.dense(),
                q32.dense(),
                q8.dense() - q32.dense(),
                quantized.docsPerSecond().format("docs/s"),
                quantized.docsPerCpuSecond().format("docs/CPU-s"),
                theirs.docsPerSecond().format("docs/s"),
                theirs.docsPerCpuSecond().format("docs/CPU-s"),
                r.ratio(int8).format("×"),
                r.cpuRatio(int8).format("×")));
    extra.append(
        ("Ingest by model (issue 18): docpipe's ingest of the same %,d documents (chunks of 128 word"
                + " pieces, empty in-memory Lucene index each run), one model after the other in"
                + " the same JVM; LangChain4j's fp32 pipeline last for reference. docs/CPU-s and"
                + " chunks/CPU-s divide by the process's CPU time (figures that hold at any load;"
                + " LangChain4j's splitter cuts more, shorter chunks from the same documents, so"
                + " compare it by docs/CPU-s); SciFact"
                + " quality is measured by docpipe eval (default chunking), see Retrieval"
                + " quality. Positions: what the model reads for all the chunks of one ingest"
                + " (each chunk's word pieces plus [CLS] and [SEP], at most 128), its cost being"
                + " about linear in them; positions/CPU-s is the cost of the model's work,"
                + " chunking aside.\n\n")
            .formatted(r.documents()));
    extra.append(
        "| model | docs/s | docs/CPU-s | chunks/CPU-s | chunks | positions | positions/CPU-s | SciFact hybrid nDCG@10 (dense) |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    for (IngestBenchmark.ModelRuns m : r.docpipe()) {
      IngestBenchmark.@Nullable Quality q = IngestBenchmark.SCIFACT.get(m.model());
      extra.append(
          "| docpipe `%s` | %s | %s | %s | %,d | %,d | %,.0f | %s |\n"
              .formatted(
                  m.model().label(),
                  m.side().docsPerSecond().format(""),
                  m.side().docsPerCpuSecond().format(""),
                  m.side().chunksPerCpuSecond().format(""),
                  m.side().chunks(),
                  m.positions(),
                  positionsPerCpuSecond(m.positions(), r.documents(), m.side()),
                  q == null ? "" : "%.5f (%.5f)".formatted(q.hybrid(), q.dense())));
    }
    extra.append(
        "| LangChain4j all-MiniLM-L6-v2 (fp32) | %s | %s | %s | %,d | %,d | %,.0f | — |\n"
            .formatted(
                theirs.docsPerSecond().format(""),
                theirs.docsPerCpuSecond().format(""),
                theirs.chunksPerCpuSecond().format(""),
                theirs.chunks(),
                r.baselinePositions(),
                positionsPerCpuSecond(r.baselinePositions(), r.documents(), theirs)));
    long ours32 = r.of(fp32).positions();
    extra.append(
        ("\nSame fp32 model, same chunk size: LangChain4j's chunks hold %,d positions against"
                + " docpipe's %,d (%.3f×), and docpipe's model reads %.3f× the positions per"
                + " CPU-second (medians). The per-CPU ratio above is their product: chunking"
                + " decides only the first factor, the cost of running the model the second.\n")
            .formatted(
                r.baselinePositions(),
                ours32,
                (double) r.baselinePositions() / ours32,
                positionsPerCpuSecond(ours32, r.documents(), ours)
                    / positionsPerCpuSecond(r.baselinePositions(), r.documents(), theirs)));
  }

  /** A side's positions per process CPU-second, at its median docs per CPU-second. */
  private static double positionsPerCpuSecond(
      long positions, int documents, IngestBenchmark.Side side) {
    return positions * side.docsPerCpuSecond().median() / documents;
  }

  /** What one comparison hands to the suite: its table rows, extra sections, ratios and run. */
  static void writeParts(
      Path parts,
      String name,
      Sizes sizes,
      Instant started,
      String machine,
      CharSequence rows,
      CharSequence extra,
      Ratios ratios)
      throws IOException {
    Files.createDirectories(parts);
    Files.writeString(
        parts.resolve(name + ".meta"),
        "%s: %s, run %s, %d s, %s\n"
            .formatted(
                name,
                sizes.equals(QUICK) ? "quick sizes" : "full sizes",
                started.truncatedTo(ChronoUnit.SECONDS),
                Duration.between(started, Instant.now()).toSeconds(),
                machine),
        StandardCharsets.UTF_8);
    Files.writeString(parts.resolve(name + ".md"), rows.toString(), StandardCharsets.UTF_8);
    Files.writeString(parts.resolve(name + ".extra.md"), extra.toString(), StandardCharsets.UTF_8);
    ratios.write(parts.resolve(name + ".ratios"));
  }

  private static List<String> chunks(TextCorpus corpus, OnnxEmbeddingModel model, int count) {
    // Chunks the baseline's model reads whole (it truncates at 128 word pieces), so both embed
    // the same positions.
    Chunker chunker =
        new Chunker(
            new ChunkingPolicy(
                IngestBenchmark.CHUNK_TOKENS,
                IngestBenchmark.OVERLAP_TOKENS,
                ChunkingPolicy.Mode.SPLIT),
            model.tokenCounter());
    List<String> chunks = new ArrayList<>();
    for (String text : corpus.abstracts()) {
      for (Chunk c : chunker.chunk(DocumentId.of("a"), text)) {
        chunks.add(c.text());
        if (chunks.size() == count) {
          return chunks;
        }
      }
    }
    return chunks;
  }

  static void writeBlock(Path doc, String block) throws IOException {
    String text = Files.exists(doc) ? Files.readString(doc, StandardCharsets.UTF_8) : "";
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    String updated;
    if (begin >= 0 && end > begin) {
      int after = Math.min(text.length(), end + END.length() + 1);
      updated = text.substring(0, begin) + block + text.substring(after);
    } else {
      updated = text + (text.endsWith("\n") || text.isEmpty() ? "" : "\n") + "\n" + block;
    }
    Files.writeString(doc, updated, StandardCharsets.UTF_8);
  }

  static String machine() {
    var os = ManagementFactory.getOperatingSystemMXBean();
    return "%d cores, %s GB max heap, JDK %s, %s %s, load average %.1f at start"
        .formatted(
            Runtime.getRuntime().availableProcessors(),
            Samples.fmt(Runtime.getRuntime().maxMemory() / 1e9),
            Runtime.version(),
            os.getName(),
            os.getArch(),
            os.getSystemLoadAverage());
  }

  @SuppressWarnings("SystemOut")
  static void log(String message) {
    System.err.println("[bench] " + message);
  }
}
