package io.docpipe.benchmarks;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.HuggingFaceTokenizer;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingStoreIngestor;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.docpipe.core.chunking.Chunker;
import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.service.IngestDocumentsService;
import io.docpipe.core.service.IngestSettings;
import io.docpipe.files.LocalFiles;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.onnx.OnnxSettings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * End-to-end ingestion, documents per wall second: docpipe's ingest use case with the onnx model
 * and the embedded Lucene index, against LangChain4j's {@code EmbeddingStoreIngestor} with its
 * recursive splitter, its in-process all-MiniLM-L6-v2 and its {@code InMemoryEmbeddingStore}. Both
 * chunk at {@value #CHUNK_TOKENS} word pieces with {@value #OVERLAP_TOKENS} of overlap, because
 * LangChain4j's model reads only the first 128 word pieces of a segment (its tokenizer truncates):
 * at docpipe's default of 256 the baseline would embed half of every chunk. Each run starts from an
 * empty index.
 *
 * <p>docpipe ingests the same documents with each model it ships ({@link #run}'s {@code models}):
 * the fp32 all-MiniLM-L6-v2 is the like-for-like row; the others are compared with the same fp32
 * baseline only beside their retrieval quality ({@link #SCIFACT}), since a different model is a
 * different product. Each run also records the process CPU time, so chunks per CPU-second compare
 * the models at any machine load (wall docs/s do not: another process's load lands on whichever
 * side runs at the time).
 */
final class IngestBenchmark {

  /** What the baseline's model reads of a segment; both sides chunk to it. */
  static final int CHUNK_TOKENS = 128;

  static final int OVERLAP_TOKENS = 16;

  /**
   * SciFact nDCG@10 of each model with docpipe's default chunking (hybrid, dense), as {@code
   * docpipe eval} measured them (docs/benchmarks.md, "Retrieval quality"); not re-measured here,
   * where a run takes minutes, not the hour an eval of SciFact takes.
   */
  static final Map<OnnxSettings.Model, Quality> SCIFACT =
      Map.of(
          OnnxSettings.Model.ALL_MINILM_L6_V2, new Quality(0.70808, 0.64861),
          OnnxSettings.Model.ALL_MINILM_L6_V2_Q, new Quality(0.70621, 0.65991),
          OnnxSettings.Model.BGE_SMALL_EN_V15_Q, new Quality(0.72892, 0.71564),
          OnnxSettings.Model.BGE_SMALL_EN_V15, new Quality(0.73010, 0.71607));

  /** SciFact nDCG@10 in hybrid and dense mode. */
  record Quality(double hybrid, double dense) {}

  /**
   * One side's runs: docs per wall second, and docs and chunks per process CPU-second, of the same
   * runs. The two sides cut different chunks from the same documents (LangChain4j's recursive
   * splitter makes more, shorter ones), so docs per CPU-second is the figure that compares them at
   * any load; chunks per CPU-second compares docpipe's models, which cut the same chunks.
   */
  record Side(
      Samples docsPerSecond, Samples docsPerCpuSecond, Samples chunksPerCpuSecond, long chunks) {}

  /**
   * One docpipe model's runs; {@code runs} may be fewer than the ratio rows' (quick sizes). {@code
   * positions}: see {@link #modelPositions}.
   */
  record ModelRuns(OnnxSettings.Model model, String modelId, Side side, long positions) {}

  /** {@code baselinePositions}: the baseline's segments counted as {@link #modelPositions} does. */
  record Result(
      int documents, long bytes, List<ModelRuns> docpipe, Side baseline, long baselinePositions) {
    /** docpipe with {@code model} over the baseline, docs per wall second. */
    Samples ratio(OnnxSettings.Model model) {
      return of(model).side().docsPerSecond().over(baseline.docsPerSecond());
    }

    /** The same per process CPU-second: what the ratio would be if both got the same cores. */
    Samples cpuRatio(OnnxSettings.Model model) {
      return of(model).side().docsPerCpuSecond().over(baseline.docsPerCpuSecond());
    }

    ModelRuns of(OnnxSettings.Model model) {
      return docpipe.stream()
          .filter(m -> m.model() == model)
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no runs with " + model));
    }
  }

  /**
   * A docpipe model to ingest with, how many recorded runs it gets, and whether it warms up on all
   * the documents (as the baseline does: the ratio rows) or on the first tenth (the per-model table
   * only, to keep a quick run short; a tenth is still dozens of inference runs).
   */
  record ModelPlan(
      OnnxSettings.Model model, Supplier<EmbeddingModel> open, int runs, boolean fullWarmup) {}

  private IngestBenchmark() {}

  /**
   * Ingests {@code documents} with each of {@code models} (one model open at a time, in the order
   * given), then with the baseline. Each side warms up on the same documents first. The first model
   * should be the baseline's (fp32 MiniLM): its tokenizer counts the baseline's positions.
   */
  static Result run(
      List<String> documents,
      List<ModelPlan> models,
      Supplier<AllMiniLmL6V2EmbeddingModel> baselineModelFactory,
      Path scratch,
      int warmups,
      int runs) {
    IngestSettings settings =
        IngestSettings.defaults()
            .withChunking(
                new ChunkingPolicy(CHUNK_TOKENS, OVERLAP_TOKENS, ChunkingPolicy.Mode.SPLIT));
    List<IngestRequest> requests = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      requests.add(
          new IngestRequest.Inline(
              io.docpipe.core.model.Document.ofText(
                  DocumentId.of("doc-" + i), documents.get(i), Map.of())));
    }
    List<Document> lcDocuments = documents.stream().map(Document::from).toList();
    DocumentSplitter splitter =
        DocumentSplitters.recursive(CHUNK_TOKENS, OVERLAP_TOKENS, new HuggingFaceTokenizer());
    List<String> baselineTexts =
        splitter.splitAll(lcDocuments).stream().map(TextSegment::text).toList();
    long baselinePositions = 0; // counted by the first model's tokenizer: the baseline's model
    List<ModelRuns> docpipe = new ArrayList<>();
    for (ModelPlan plan : models) {
      EmbeddingModel model = plan.open().get();
      try {
        List<IngestRequest> warmup =
            plan.fullWarmup()
                ? requests
                : requests.subList(0, Math.max(1, Math.min(requests.size(), requests.size() / 10)));
        for (int i = 0; i < warmups; i++) {
          ingestOnce(warmup, model, settings, scratch);
        }
        Side side =
            measure(
                documents.size(),
                0,
                plan.runs(),
                () -> ingestOnce(requests, model, settings, scratch));
        Chunker chunker = new Chunker(settings.chunking(), model.tokenCounter());
        List<String> chunks = new ArrayList<>();
        for (int i = 0; i < documents.size(); i++) {
          chunker
              .chunk(DocumentId.of("doc-" + i), documents.get(i))
              .forEach(c -> chunks.add(c.text()));
        }
        docpipe.add(
            new ModelRuns(plan.model(), model.modelId(), side, modelPositions(chunks, model)));
        if (docpipe.size() == 1) {
          baselinePositions = modelPositions(baselineTexts, model);
        }
        BenchmarkSuite.log(
            "ingest: docpipe "
                + model.modelId()
                + " "
                + side.docsPerSecond().format("docs/s")
                + ", "
                + side.chunksPerCpuSecond().format("chunks/CPU-s"));
      } finally {
        if (model instanceof AutoCloseable closeable) {
          try {
            closeable.close();
          } catch (Exception e) {
            throw new IllegalStateException("closing " + model.modelId() + " failed", e);
          }
        }
      }
    }
    long baselineChunks = baselineTexts.size();
    // Created only now, after docpipe's runs: its native code never shares the process with them.
    AllMiniLmL6V2EmbeddingModel baselineModel = baselineModelFactory.get();
    Side baseline =
        measure(
            documents.size(),
            warmups,
            runs,
            () -> {
              InMemoryEmbeddingStore<TextSegment> store = new InMemoryEmbeddingStore<>();
              EmbeddingStoreIngestor ingestor =
                  EmbeddingStoreIngestor.builder()
                      .documentSplitter(
                          DocumentSplitters.recursive(
                              CHUNK_TOKENS, OVERLAP_TOKENS, new HuggingFaceTokenizer()))
                      .embeddingModel(baselineModel)
                      .embeddingStore(store)
                      .build();
              ingestor.ingest(lcDocuments);
              return baselineChunks;
            });
    BenchmarkSuite.log(
        "ingest: LangChain4j "
            + baseline.docsPerSecond().format("docs/s")
            + ", "
            + baseline.chunksPerCpuSecond().format("chunks/CPU-s"));
    return new Result(
        documents.size(), TextCorpus.utf8Bytes(documents), docpipe, baseline, baselinePositions);
  }

  /**
   * The positions a model reads for {@code texts}: each text's word pieces plus the two special
   * tokens, cut at {@value #CHUNK_TOKENS}. An encoder's cost is about linear in them at this
   * length, so the two sides' totals bound what any chunking can win over the other: the rest of a
   * ratio is the cost per position.
   */
  static long modelPositions(List<String> texts, EmbeddingModel counter) {
    long positions = 0;
    for (String text : texts) {
      positions += Math.min(CHUNK_TOKENS, counter.countTokens(text) + 2);
    }
    return positions;
  }

  /** One docpipe ingest into an empty in-memory Lucene index; returns the chunks embedded. */
  private static long ingestOnce(
      List<IngestRequest> requests, EmbeddingModel model, IngestSettings settings, Path scratch) {
    try (VectorStore store = LuceneVectorStores.inMemory(model.dimension())) {
      var service =
          new IngestDocumentsService(
              LocalFiles.corpus(scratch),
              LocalFiles.extractors(),
              model,
              store,
              IngestionListener.NONE,
              settings);
      IngestReport report = service.ingest(IngestCommand.of(requests));
      long indexed =
          report.outcomes().stream().filter(o -> o instanceof DocumentOutcome.Indexed).count();
      if (indexed != requests.size()) {
        throw new IllegalStateException("docpipe indexed " + indexed + " of " + requests.size());
      }
      return report.chunksEmbedded();
    }
  }

  /**
   * Runs {@code ingest} {@code warmups} times unrecorded, then {@code runs} times, each timed in
   * wall and process CPU time; {@code ingest} returns the chunks it embedded.
   */
  static Side measure(int documents, int warmups, int runs, LongSupplier ingest) {
    for (int i = 0; i < warmups; i++) {
      ingest.getAsLong();
    }
    List<Double> docsPerSecond = new ArrayList<>(runs);
    List<Double> docsPerCpuSecond = new ArrayList<>(runs);
    List<Double> chunksPerCpuSecond = new ArrayList<>(runs);
    @Nullable Long chunks = null;
    for (int i = 0; i < runs; i++) {
      long cpu = Cpu.processCpuNanos();
      long start = System.nanoTime();
      long embedded = ingest.getAsLong();
      double seconds = (System.nanoTime() - start) / 1e9;
      double cpuSeconds = (Cpu.processCpuNanos() - cpu) / 1e9;
      docsPerSecond.add(documents / seconds);
      docsPerCpuSecond.add(documents / cpuSeconds);
      chunksPerCpuSecond.add(embedded / cpuSeconds);
      chunks = embedded;
    }
    if (chunks == null) {
      throw new IllegalArgumentException("runs must be at least 1");
    }
    return new Side(
        new Samples(docsPerSecond),
        new Samples(docsPerCpuSecond),
        new Samples(chunksPerCpuSecond),
        chunks);
  }
}
