package io.docpipe.benchmarks;

import io.docpipe.onnx.OnnxSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The comparisons whose docpipe side runs as processes of its own (the three runtimes and the
 * memory run): each runs, then writes its rows, plots and goals as the suite expects.
 */
record RuntimeComparisons(
    BenchmarkSuite.Sizes sizes,
    Path datasets,
    Path work,
    Path plots,
    @Nullable Path recording,
    boolean quick,
    Ratios ratios,
    StringBuilder rows,
    StringBuilder extra) {

  static void run(
      String name,
      BenchmarkSuite.Sizes sizes,
      Path datasets,
      Path parts,
      Path plots,
      @Nullable Path recording,
      boolean quick)
      throws IOException {
    Instant started = Instant.now();
    String machine = BenchmarkSuite.machine();
    Path work = Files.createTempDirectory("docpipe-bench-" + name);
    RuntimeComparisons c =
        new RuntimeComparisons(
            sizes,
            datasets,
            work,
            plots,
            recording,
            quick,
            new Ratios(),
            new StringBuilder(),
            new StringBuilder());
    try {
      switch (name) {
        case "lambda" -> c.lambda();
        case "fargate" -> c.fargate();
        case "gke" -> c.gke();
        case "tracing" -> c.tracing();
        case "memory" -> c.memory();
        case "extraction" -> c.extraction();
        default -> throw new IllegalArgumentException("no runtime comparison " + name);
      }
    } finally {
      deleteTree(work);
    }
    BenchmarkSuite.writeParts(parts, name, sizes, started, machine, c.rows, c.extra, c.ratios);
  }

  private void lambda() throws IOException {
    LambdaColdStartBenchmark.Result r =
        LambdaColdStartBenchmark.run(work, sizes.warmups(), sizes.runs(), recording);
    var shipped = LambdaColdStartBenchmark.FLAGS.getFirst();
    Samples floor = r.get("bare handler, no DI (floor)", shipped);
    Samples api = r.get("docpipe search, embeddings API (stand-in)", shipped);
    Samples onnx = r.get("docpipe search, in-process model", shipped);
    Samples overhead = api.minus(floor);
    ratios.addAtMost("lambda cold-start overhead ms", overhead.median(), 300);
    rows.append(
        "| Lambda cold start, process start → first `/v1/search` response (real runtime client, local Runtime API, the image's JVM flags: C1 only, serial GC), embeddings API stand-in | %s | bare handler, no DI (floor): %s | overhead %s | ≤ 300 ms overhead (%s) |\n"
            .formatted(
                api.format("ms"),
                floor.format("ms"),
                overhead.format("ms"),
                new Ratios.Entry("", overhead.median(), 300, true).verdict("ms")));
    rows.append(
        "| Lambda cold start, same, in-process model (loads the default, %s, from its jar) | %s | floor: %s | overhead %s | (no goal) |\n"
            .formatted(
                OnnxSettings.DEFAULT_MODEL.label(),
                onnx.format("ms"),
                floor.format("ms"),
                onnx.minus(floor).format("ms")));
    // The image as shipped starts from its AOT cache; the floor it is held against then gets a
    // cache of its own, trained the same way (ADR 0030, addendum): the goal row for the image.
    Samples aotFloor = r.aotFloor();
    r.aot()
        .forEach(
            (variant, s) -> {
              Samples over = s.minus(aotFloor);
              boolean goal = variant.equals("docpipe search, embeddings API (stand-in)");
              if (goal) {
                ratios.addAtMost(
                    "lambda cold-start overhead ms, both with their AOT caches",
                    over.median(),
                    300);
              }
              rows.append(
                  "| Lambda cold start, %s, docpipe with its JDK 25 AOT cache vs the floor with its own (each trained by one run, same flags, the image's class path: one jar; rounds alternate; ADRs 0030, 0037) | %s | bare handler with its AOT cache: %s | overhead %s | %s |\n"
                      .formatted(
                          variant.replace("docpipe search, ", ""),
                          s.format("ms"),
                          aotFloor.format("ms"),
                          over.format("ms"),
                          goal
                              ? "≤ 300 ms overhead, the image as shipped (%s)"
                                  .formatted(
                                      new Ratios.Entry("", over.median(), 300, true).verdict("ms"))
                              : "(no goal)"));
            });
    r.aot()
        .forEach(
            (variant, s) ->
                rows.append(
                    "| Lambda cold start, %s, with its JDK 25 AOT cache vs the cache-less floor (ADR 0030) | %s | floor: %s | overhead %s | (beside the goal rows) |\n"
                        .formatted(
                            variant.replace("docpipe search, ", ""),
                            s.format("ms"),
                            floor.format("ms"),
                            s.minus(floor).format("ms"))));
    r.image()
        .forEach(
            (model, s) -> {
              String name = "lambda cold start, in-process " + model.label() + ", image ms";
              ratios.addAtMost(name, s.median(), 1500);
              rows.append(
                  "| Lambda cold start, in-process model %s, as the image ships: AOT cache (trained on the API stand-in, ADR 0030) + the model prepared at build (ADR 0033)%s | %s | floor: %s | overhead %s | ≤ 1,500 ms (%s) |\n"
                      .formatted(
                          model.label(),
                          quality(model),
                          s.format("ms"),
                          floor.format("ms"),
                          s.minus(floor).format("ms"),
                          new Ratios.Entry("", s.median(), 1500, true).verdict("ms")));
            });
    List<String> variants = new ArrayList<>(r.millis().keySet());
    Map<String, List<Double>> series = new LinkedHashMap<>();
    extra.append(
        "Lambda cold start by JVM flags, ms from process start to the first response:\n\n");
    extra.append("![lambda cold start](benchmarks/lambda-cold-start.png)\n\n");
    extra.append("| handler | JVM flags | cold start |\n|---|---|---|\n");
    for (var flags : LambdaColdStartBenchmark.FLAGS) {
      List<Double> medians = new ArrayList<>();
      for (String v : variants) {
        Samples s = r.get(v, flags);
        medians.add(s.median());
        extra.append("| %s | %s | %s |\n".formatted(v, flags.name(), s.format("ms")));
      }
      series.put(flags.name(), medians);
    }
    extra.append(
        "| %s | %s | %s |\n"
            .formatted(variants.getFirst(), LambdaColdStartBenchmark.AOT, aotFloor.format("ms")));
    r.aot()
        .forEach(
            (v, s) ->
                extra.append(
                    "| %s | %s | %s |\n"
                        .formatted(v, LambdaColdStartBenchmark.AOT, s.format("ms"))));
    r.image()
        .forEach(
            (model, s) ->
                extra.append(
                    "| docpipe search, in-process model %s | %s | %s |\n"
                        .formatted(model.label(), LambdaColdStartBenchmark.IMAGE, s.format("ms"))));
    extra.append(
        "\nAppCDS is not an option for the shipped image: it runs on a jlink'd runtime, which has"
            + " no base CDS archive (`-XX:+AutoCreateSharedArchive` needs one); JDK 25's AOT cache"
            + " is measured in the image by `ColdStartBenchmarkIT` (see \"Lambda runtime\" above)"
            + " and, as plain processes, in the AOT rows here. These runs are plain processes on"
            + " the image's class path (its one jar, ADR 0037, and the floor's handler in a jar of"
            + " its own), no container.\n");
    Plots.bars(
        plots.resolve("lambda-cold-start.png"),
        "Lambda cold start: process start to first response (lower is better)",
        "milliseconds (median)",
        variants,
        series);
  }

  private void fargate() throws IOException {
    FargateBenchmark.Result r =
        FargateBenchmark.run(
            work, sizes.fargateDocuments(), sizes.fargateRound(), sizes.runs(), recording);
    Samples apiShare = r.api().requestsPerSecond().over(r.apiFloor().requestsPerSecond());
    Samples modelShare = r.model().requestsPerSecond().over(r.modelFloor().requestsPerSecond());
    ratios.add("fargate search/embed-only route (API stand-in)", apiShare.median(), 0.5);
    ratios.add("fargate search/embed-only route (in-process model)", modelShare.median(), 0.8);
    String what =
        "Fargate `POST /v1/search` @%,d chunks (written by %d calls; once the writes went quiet the API stand-in's service %s, the model's %s: ADR 0036), %d client threads, %d s rounds after %s warm-up rounds per route (until two in a row agreed within %.0f%%, at most %d)"
            .formatted(
                r.documents(),
                (r.documents() + 99) / 100,
                r.apiIndex().describe(),
                r.modelIndex().describe(),
                FargateBenchmark.CONCURRENCY,
                sizes.fargateRound().toSeconds(),
                r.fewestWarmUpRounds() == r.mostWarmUpRounds()
                    ? String.valueOf(r.mostWarmUpRounds())
                    : r.fewestWarmUpRounds() + "–" + r.mostWarmUpRounds(),
                FargateBenchmark.WARM_UP_AGREEMENT * 100,
                FargateBenchmark.MOST_WARM_UP_ROUNDS);
    rows.append(
        "| %s, query embeddings from the API stand-in (one HTTP call per search; client-side rate limits lifted) | %s; p99 %s | embed-only route (bare Helidon, same client, same stand-in call, constant answer): %s; p99 %s | %s | ≥ 0.5 (%s) |\n"
            .formatted(
                what,
                r.api().requestsPerSecond().format("req/s"),
                r.api().p99Millis().format("ms"),
                r.apiFloor().requestsPerSecond().format("req/s"),
                r.apiFloor().p99Millis().format("ms"),
                apiShare.format("of the embed-only route"),
                new Ratios.Entry("", apiShare.median(), 0.5, false).verdict("")));
    rows.append(
        "| %s, in-process model (the query embedded on the same 2 cores) | %s; p99 %s | embed-only route (bare Helidon, same model, settings and threads, constant answer): %s; p99 %s | %s | ≥ 0.8 (%s) |\n"
            .formatted(
                what,
                r.model().requestsPerSecond().format("req/s"),
                r.model().p99Millis().format("ms"),
                r.modelFloor().requestsPerSecond().format("req/s"),
                r.modelFloor().p99Millis().format("ms"),
                modelShare.format("of the embed-only route"),
                new Ratios.Entry("", modelShare.median(), 0.8, false).verdict("")));
    rows.append(
        "| %s: constant route (bare Helidon, no embedding; a reference, same rounds) | | %s; p99 %s | stand-in search %s, model search %s of it | (reference) |\n"
            .formatted(
                what,
                r.ceiling().requestsPerSecond().format("req/s"),
                r.ceiling().p99Millis().format("ms"),
                Samples.fmt(
                    r.api().requestsPerSecond().over(r.ceiling().requestsPerSecond()).median()),
                Samples.fmt(
                    r.model().requestsPerSecond().over(r.ceiling().requestsPerSecond()).median())));
    List<FargateBenchmark.Route> routes =
        List.of(r.ceiling(), r.apiFloor(), r.api(), r.modelFloor(), r.model());
    Plots.bars(
        plots.resolve("fargate.png"),
        "Fargate service: requests/s, same load generator (higher is better)",
        "requests per second (median)",
        java.util.Arrays.stream(FargateBenchmark.Which.values()).map(w -> w.label).toList(),
        Map.of(
            "requests/s",
            routes.stream().map(route -> route.requestsPerSecond().median()).toList()));
    extra.append("![fargate](benchmarks/fargate.png)\n\n");
    extra.append(
        "Where each route's CPU goes, per answered request (medians of the rounds): the serving"
            + " process, and the benchmark's own process (load generator, and the embeddings"
            + " stand-in for the API routes). A search's extra cost over its embed-only route is"
            + " the server column's difference.\n\n"
            + "| route | server CPU-ms/request | load generator + stand-in CPU-ms/request |\n"
            + "|---|---|---|\n");
    for (FargateBenchmark.Which which : FargateBenchmark.Which.values()) {
      FargateBenchmark.Route route = routes.get(which.ordinal());
      extra.append(
          "| %s | %s | %s |\n"
              .formatted(
                  which.label,
                  route.serverCpuMillis().format(""),
                  route.clientCpuMillis().format("")));
    }
    extra.append("\n");
    extra.append(
        "Fargate errors (non-200 or failed requests) across all rounds: constant route %d, embed-only API stand-in %d, search API stand-in %d, embed-only in-process model %d, search in-process model %d. Each embed-only route is a bare Helidon route (no docpipe wiring, no auth, no index) that reads the body's query, embeds it with the model the service's `DOCPIPE_*` environment chooses (the same `OnnxEmbeddingModel` settings and threads, or the openai adapter's client calling the same stand-in) and answers a constant: what a search cannot avoid. Rounds alternate the five routes, reversed every other round. Each service's index built through `POST /v1/documents` (batches of 100) by that service, with its own model's vectors (an index refuses another model's). The stand-in runs in the benchmark's JVM, on the same 2 cores as the load generator; the openai adapter's client-side rate limits are lifted (`DOCPIPE_OPENAI_REQUESTS_PER_MINUTE`, `DOCPIPE_OPENAI_TOKENS_PER_MINUTE`).\n"
            .formatted(
                r.ceiling().errors(),
                r.apiFloor().errors(),
                r.api().errors(),
                r.modelFloor().errors(),
                r.model().errors()));
    int rounds = 8;
    extra
        .append("\n")
        .append(
            SearchBesideModel.markdown(
                SearchBesideModel.run(
                    work.resolve("index-model"), FargateBenchmark.queryTexts(), rounds),
                rounds));
  }

  private void gke() throws IOException {
    TextCorpus corpus = TextCorpus.scifact(datasets);
    GkeBatchBenchmark.Result r =
        GkeBatchBenchmark.run(
            corpus, sizes.gkeDocuments(), work, sizes.warmups(), sizes.runs(), recording);
    Samples speedup = r.twoWorkers().over(r.oneWorker());
    ratios.add("gke 2 workers / 1", speedup.median(), 1.8);
    rows.append(
        "| GKE batch, %,d SciFact documents, 2 shard worker processes (`DOCPIPE_ONNX_THREADS=1` each), wall time incl. JVM start and model load (the model prepared as the worker image ships it, ADR 0033) | %s | 1 worker: %s | %s | ≥ 1.8× (%s) |\n"
            .formatted(
                r.documents(),
                r.twoWorkers().format("docs/s"),
                r.oneWorker().format("docs/s"),
                speedup.format("×"),
                new Ratios.Entry("", speedup.median(), 1.8, false).verdict("")));
    extra.append(
        "GKE batch: each worker embeds with one ONNX Runtime thread (`DOCPIPE_ONNX_THREADS=1`),"
            + " so 1 worker uses one of the 2 cores and 2 workers both: on 2 cores the ratio is"
            + " bounded by cores (and by anything else running), not by the sharding.\n");
  }

  private void tracing() throws IOException {
    TracingOverheadBenchmark.Result r =
        TracingOverheadBenchmark.run(
            TextCorpus.scifact(datasets),
            sizes.tracingDocuments(),
            work,
            sizes.warmups(),
            sizes.tracingRuns());
    double cpu = r.cpuOverheadPercent();
    ratios.addAtMost("tracing overhead % CPU-s/doc", cpu, 3);
    rows.append(
        "| Tracing overhead: GKE worker, 1 shard, %,d SciFact documents, OTLP/HTTP export on to a discarding receiver on 127.0.0.1 (runs interleaved with export off), incl. JVM start and model load | export on: %s; %s | export off: %s; %s | throughput %s %% lower, CPU per document %s %% higher (medians) | ≤ 3 %% (%s) |\n"
            .formatted(
                r.documents(),
                r.on().documentsPerSecond().format("docs/s"),
                r.on().cpuMillisPerDocument().format("CPU-ms/doc"),
                r.off().documentsPerSecond().format("docs/s"),
                r.off().cpuMillisPerDocument().format("CPU-ms/doc"),
                Samples.fmt(r.throughputLossPercent()),
                Samples.fmt(cpu),
                new Ratios.Entry("", cpu, 3, true).verdict("%")));
    extra.append(
        ("Tracing overhead: %d export requests reached the receiver. CPU per document (the"
                + " worker's own CPU time, read from this process's reaped-children account) is"
                + " the figure to trust on a shared machine; documents/s moves with whatever else"
                + " runs.\n")
            .formatted(r.spansRequests()));
  }

  private void memory() throws IOException {
    MemoryBenchmark.Result r = MemoryBenchmark.run(work, sizes.memoryBytes(), recording);
    rows.append(
        "| peak RSS, docpipe's ingest use case (files, extract, chunk, embed, Lucene on disk) over %s MB of generated text (%,d files)%s, embeddings from the API stand-in, `%s` | peak VmRSS %s MB, of it private (RssAnon) %s MB; sampled every %d ms for %s s | | | bounded (report) |\n"
            .formatted(
                Samples.fmt(r.bytes() / 1e6),
                r.files(),
                quick ? " (quick mode: not the issue's 1 GB)" : "",
                MemoryBenchmark.XMX,
                Samples.fmt(r.peakRssBytes() / 1e6),
                Samples.fmt(r.peakAnonymousBytes() / 1e6),
                MemoryBenchmark.SAMPLE_MILLIS,
                Samples.fmt(r.seconds())));
    Plots.overTime(
        plots.resolve("memory.png"),
        "RSS while ingesting %s MB (%s)"
            .formatted(Samples.fmt(r.bytes() / 1e6), MemoryBenchmark.XMX),
        "RSS, MB",
        rssSeries(r));
    extra.append("![memory](benchmarks/memory.png)\n\n");
    extra.append(
        ("The memory run measures whether fetch, extract, chunk and write stay bounded on a large"
                + " corpus, not model speed: embeddings come from the OpenAI-compatible stand-in on"
                + " 127.0.0.1 (in the benchmark's JVM, outside the measured process), with chunks of"
                + " %d tokens (bytes, as the openai adapter counts them) so the Lucene index does not"
                + " dominate. VmRSS includes the pages of the index files Lucene maps into memory (page"
                + " cache the kernel takes back under pressure); RssAnon is the process's private"
                + " memory, the part -Xmx and the native libraries bound. %s\n")
            .formatted(MemoryBenchmark.CHUNK_TOKENS, r.outcome()));
  }

  private void extraction() {
    Path root = Path.of(System.getProperty("docpipe.root", ".")).toAbsolutePath();
    Path jar =
        Path.of(
            System.getProperty(
                "docpipe.tika.serverJar",
                root.resolve("benchmarks/target/tika-server/tika-server-standard.jar").toString()));
    Path config = root.resolve("adapters/tika/src/main/resources/io/docpipe/tika/tika-config.xml");
    int documents = quick ? 60 : 200;
    ExtractionBenchmark.Result r =
        ExtractionBenchmark.run(
            TextCorpus.scifact(datasets),
            documents,
            jar,
            config,
            work,
            // Both sides JIT-compile their parsers (the sidecar in its forked parser's JVM):
            // short rounds need more than one warm-up round to leave that out.
            Math.max(3, sizes.warmups()),
            sizes.runs());
    rows.append(
        "| extraction, %,d documents (half PDF of %d pages, half DOCX of %d paragraphs: SciFact abstracts; %s MB), one after the other, wall time | Tika sidecar (`DOCPIPE_EXTRACTION=tika`, real Tika Server on 127.0.0.1, shipped tika-config.xml): %s, %s; %s | in-process (PDFBox, POI): %s, %s; %s | sidecar %s the in-process rate | report (ADR 0024) |\n"
            .formatted(
                r.documents(),
                ExtractionBenchmark.ABSTRACTS_PER_DOCUMENT,
                ExtractionBenchmark.ABSTRACTS_PER_DOCUMENT,
                Samples.fmt(r.bytes() / 1e6),
                r.sidecarDocsPerSecond().format("docs/s"),
                r.sidecarMegabytesPerSecond().format("MB/s"),
                r.sidecarCpuMillisPerDoc().format("CPU-ms/doc"),
                r.inProcessDocsPerSecond().format("docs/s"),
                r.inProcessMegabytesPerSecond().format("MB/s"),
                r.inProcessCpuMillisPerDoc().format("CPU-ms/doc"),
                r.sidecarOverInProcess().format("×")));
    extra.append(
        ("Extraction: the sidecar's CPU per document counts this process (the HTTP client, JSON)"
                + " and the Tika watchdog with its forked parser; the in-process side, this process"
                + " alone. Text extracted per round: in-process %,d characters, sidecar %,d"
                + " (adapters/tika's tests and the three-runtime harness compare the texts"
                + " themselves). What the"
                + " sidecar costs beside throughput (memory, start-up) and what it isolates: ADR"
                + " 0024.\n")
            .formatted(r.inProcessChars(), r.sidecarChars()));
  }

  /** The model's SciFact scores as a row names them, from the table the ingest rows use. */
  private static String quality(OnnxSettings.Model model) {
    IngestBenchmark.Quality q = IngestBenchmark.SCIFACT.get(model);
    String role = model == OnnxSettings.DEFAULT_MODEL ? ", the default" : "";
    return q == null
        ? ""
        : " (%s%s; SciFact nDCG@10 hybrid %.5f, dense %.5f)"
            .formatted(model.label().endsWith("-q") ? "int8" : "fp32", role, q.hybrid(), q.dense());
  }

  private static Map<String, List<double[]>> rssSeries(MemoryBenchmark.Result r) {
    Map<String, List<double[]>> series = new LinkedHashMap<>();
    series.put("VmRSS (incl. mapped index files)", r.rssMegabytes());
    series.put("RssAnon (private: heap, native)", r.anonymousMegabytes());
    return series;
  }

  static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
