package io.docpipe.cli;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.in.RetrievalMode;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.wiring.Corpus;
import io.docpipe.wiring.CorpusRun;
import io.docpipe.wiring.DocpipeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code docpipe eval <beir-dir>}: ingests a BEIR dataset through the normal ingest path, runs its
 * test queries in each asked retrieval mode and reports nDCG@10, recall@10 and recall@100.
 */
@Command(
    name = "eval",
    description =
        "Evaluate retrieval on a BEIR-format dataset (nDCG@10, recall@10, recall@100), per mode.")
final class EvalCli implements Callable<Integer> {

  @Parameters(
      index = "0",
      paramLabel = "DATASET_DIR",
      description = "Directory with corpus.jsonl, queries.jsonl and qrels/.")
  Path dataset = Path.of(".");

  @Option(
      names = "--split",
      defaultValue = "test",
      description = "Which qrels split to evaluate (default ${DEFAULT-VALUE}).")
  String split = "test";

  @Option(
      names = "--chunking",
      defaultValue = "split",
      description =
          "split: the default chunking, hits deduplicated per document; truncate: one chunk per document, cut at the model's limit (the published protocol).")
  String chunking = "split";

  @Option(
      names = "--approximate",
      description = "Use the approximate (HNSW) index instead of exact search.")
  boolean approximate;

  @Option(
      names = "--mode",
      paramLabel = "MODE[,MODE...]",
      defaultValue = "hybrid",
      description =
          "Retrieval mode(s) to evaluate on one ingest: dense, lexical, hybrid or"
              + " hybrid:DENSE:LEXICAL (weighted), comma-separated (default ${DEFAULT-VALUE}).")
  String modes = "hybrid";

  @Option(
      names = "--k",
      paramLabel = "K",
      defaultValue = "100",
      description =
          "Hits per query (default ${DEFAULT-VALUE}; recall@100 needs 100). 10 searches as the"
              + " HTTP API's default does: a hybrid search fuses deeper sides when k is larger.")
  int k = 100;

  @Option(
      names = "--index",
      paramLabel = "DIR",
      description = "Where to build the index (default: a fresh temporary directory).")
  @Nullable Path index;

  @Spec CommandSpec spec;

  /** Where the progress bar is drawn, and whether that is a terminal (tests read it). */
  PrintStream progressOut = System.err;

  boolean progressTerminal = System.console() != null;

  /** The metrics of one retrieval mode over the run's queries. */
  record ModeResult(
      RetrievalMode mode, double ndcg10, double recall10, double recall100, double searchSeconds) {}

  /** The metrics of one evaluation run: one ingest, then each mode's queries. */
  record Result(
      String model,
      int queries,
      int documents,
      long chunks,
      double ingestSeconds,
      double ingestCpuSeconds,
      List<ModeResult> modes) {}

  List<RetrievalMode> modes() {
    List<RetrievalMode> parsed = new ArrayList<>();
    for (String label : modes.split(",")) {
      RetrievalMode mode = RetrievalMode.parse(label);
      if (!parsed.contains(mode)) {
        parsed.add(mode);
      }
    }
    return parsed;
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Result r = evaluate();
    out.printf(
        Locale.ROOT,
        "dataset %s, split %s, chunking %s, %s search%n",
        dataset,
        split,
        chunking,
        approximate ? "approximate" : "exact");
    out.printf(
        Locale.ROOT,
        "model %s: %d documents -> %d chunks, ingested in %.1f s (%.1f CPU-s, %.1f chunks per"
            + " CPU-s); %d queries%n",
        r.model(),
        r.documents(),
        r.chunks(),
        r.ingestSeconds(),
        r.ingestCpuSeconds(),
        r.ingestCpuSeconds() > 0 ? r.chunks() / r.ingestCpuSeconds() : 0.0,
        r.queries());
    out.printf(
        Locale.ROOT,
        "%-14s %-10s %-10s %-10s %s%n",
        "mode",
        "nDCG@10",
        "recall@10",
        "recall@100",
        "search");
    for (ModeResult m : r.modes()) {
      out.printf(
          Locale.ROOT,
          "%-14s %-10.5f %-10.5f %-10.5f %.1f s%n",
          m.mode().label(),
          m.ndcg10(),
          m.recall10(),
          m.recall100(),
          m.searchSeconds());
    }
    out.flush();
    return 0;
  }

  Result evaluate() throws IOException {
    if (k < 1) {
      throw new IllegalArgumentException("--k must be at least 1, got " + k);
    }
    BeirDataset data = new BeirDataset(dataset);
    Map<String, Map<String, Integer>> qrels = data.qrels(split);
    Map<String, String> queries = data.queries();
    Path dir = index != null ? index : Files.createTempDirectory("docpipe-eval-");
    Map<String, String> env = DocpipeCli.pipelineEnvironment(System.getenv());
    env.put("DOCPIPE_INDEX_DIR", dir.toString());
    env.put(
        "DOCPIPE_CHUNKING",
        switch (chunking) {
          case "split" -> "split";
          case "truncate" -> "truncate";
          default ->
              throw new IllegalArgumentException(
                  "--chunking must be split or truncate, got " + chunking);
        });
    if (chunking.equals("truncate")) {
      env.put("DOCPIPE_CHUNK_TOKENS", "8192"); // one chunk, capped to the model's input limit
    }
    DocpipeConfig config = DocpipeConfig.fromEnvironment(env);
    Progress progress = new Progress(progressOut, progressTerminal);
    try (CliComponent component = CliComponent.create(config, progress)) {
      long start = System.nanoTime();
      double startCpu = processCpuSeconds();
      progress.start(data.documentCount());
      CorpusRun run = component.corpusRun().create(Corpus.inlineOnly());
      List<IngestRequest> batch = new ArrayList<>();
      int[] documents = {0};
      long[] chunks = {0};
      data.forEachDocument(
          (id, text) -> {
            batch.add(new IngestRequest.Inline(Document.ofText(DocumentId.of(id), text, Map.of())));
            documents[0]++;
            if (batch.size() == 256) {
              chunks[0] += ingest(run, batch);
            }
          });
      chunks[0] += ingest(run, batch);
      progress.draw(true);
      double ingestSeconds = (System.nanoTime() - start) / 1e9;
      double ingestCpuSeconds = processCpuSeconds() - startCpu;

      List<ModeResult> results = new ArrayList<>();
      for (RetrievalMode mode : modes()) {
        results.add(evaluate(component, mode, qrels, queries));
      }
      return new Result(
          component.describeIndex().describe().model(),
          qrels.size(),
          documents[0],
          chunks[0],
          ingestSeconds,
          ingestCpuSeconds,
          results);
    }
  }

  /**
   * CPU time of the whole process (every thread: the model's inference runs beside the caller), so
   * models compare by cost even when other work shares the machine and wall time does not.
   */
  private static double processCpuSeconds() {
    return ProcessHandle.current()
            .info()
            .totalCpuDuration()
            .map(java.time.Duration::toNanos)
            .orElse(0L)
        / 1e9;
  }

  private ModeResult evaluate(
      CliComponent component,
      RetrievalMode mode,
      Map<String, Map<String, Integer>> qrels,
      Map<String, String> queries) {
    long searchStart = System.nanoTime();
    double ndcg = 0;
    double r10 = 0;
    double r100 = 0;
    int n = 0;
    for (Map.Entry<String, Map<String, Integer>> q : qrels.entrySet()) {
      String text = queries.get(q.getKey());
      if (text == null) {
        throw new IllegalArgumentException(
            "qrels name query " + q.getKey() + " that queries.jsonl does not have");
      }
      SearchCommand command =
          new SearchCommand(
              text, k, io.docpipe.core.model.MetadataFilter.none(), null, true, !approximate, mode);
      List<String> ranked = new ArrayList<>();
      for (SearchHit hit : component.search().search(command).hits()) {
        // BEIR ignores a hit whose id equals the query's id.
        if (!hit.documentId().value().equals(q.getKey())) {
          ranked.add(hit.documentId().value());
        }
      }
      ndcg += RetrievalMetrics.ndcgAt(10, ranked, q.getValue());
      r10 += RetrievalMetrics.recallAt(10, ranked, q.getValue());
      r100 += RetrievalMetrics.recallAt(100, ranked, q.getValue());
      n++;
    }
    double searchSeconds = (System.nanoTime() - searchStart) / 1e9;
    return new ModeResult(mode, ndcg / n, r10 / n, r100 / n, searchSeconds);
  }

  private static long ingest(CorpusRun run, List<IngestRequest> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    IngestReport report = run.ingest().ingest(IngestCommand.of(List.copyOf(batch)));
    batch.clear();
    if (!report.failures().isEmpty()) {
      throw new IllegalStateException(
          "evaluation documents failed to ingest: "
              + report.failures().subList(0, Math.min(3, report.failures().size())));
    }
    return report.chunksEmbedded();
  }
}
