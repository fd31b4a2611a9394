package io.docpipe.benchmarks;

import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.port.in.RetrievalMode;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.service.SearchDocumentsService;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.onnx.OnnxEmbeddingModel;
import io.docpipe.wiring.DocpipeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a search costs beside the query's embedding, against what it costs alone: the Fargate row's
 * "why". In this process, on one thread, over an index the Fargate service wrote: rounds of (a) the
 * query embedded by the in-process model as the service's environment chooses it, (b) the default
 * search (hybrid, one hit per document, k = 10) with the query's vector computed beforehand, and
 * (c) the two one after the other, as a search request runs them. Process CPU per request, rounds
 * alternating, so that (c) minus (a) is what a search adds once the model has run, and (b) what it
 * costs with the caches to itself. The Fargate part's server CPU per search exceeds its embed-only
 * route's by more than the search alone costs; this shows where the rest goes.
 *
 * <p>Run alone: {@code java -cp <benchmarks classpath> io.docpipe.benchmarks.SearchBesideModel
 * INDEX_DIR} with the {@code DOCPIPE_INDEX_DIR} of a Fargate service that ingested the benchmark's
 * documents (its {@code lucene/} holds the index; the service must be stopped).
 */
final class SearchBesideModel {

  /** Requests per round; a round of (c) takes about 2 s of CPU, well above the 10 ms tick. */
  static final int PER_ROUND = 400;

  static final int WARM_UP_ROUNDS = 10;

  /** Process CPU-ms per request of each kind, one sample per round. */
  record Result(Samples embed, Samples search, Samples embedThenSearch) {

    /** What the search adds after the embedding: (c) minus (a), medians. */
    double searchAfterEmbedding() {
      return embedThenSearch.median() - embed.median();
    }
  }

  private SearchBesideModel() {}

  public static void main(String[] args) {
    Result r = run(Path.of(args[0]), FargateBenchmark.queryTexts(), 8);
    System.out.println(markdown(r, 8));
  }

  static Result run(Path indexDir, List<String> queries, int rounds) {
    // The model the Fargate service runs with the benchmark's environment (FargateBenchmark).
    EmbeddingModel model =
        OnnxEmbeddingModel.of(
            DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_ONNX_THREADS", "2")).onnx());
    Map<String, float[]> vectors = new HashMap<>();
    for (String query : queries) {
      vectors.put(query, model.embedQueries(List.of(query)).getFirst());
    }
    EmbeddingModel precomputed = new Precomputed(model, vectors);
    try (VectorStore store =
        LuceneVectorStores.open(
            indexDir.resolve("lucene"), model.dimension(), model.modelId(), Duration.ZERO)) {
      SearchDocumentsService search = new SearchDocumentsService(precomputed, store);
      List<Double> embed = new ArrayList<>();
      List<Double> alone = new ArrayList<>();
      List<Double> both = new ArrayList<>();
      for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        double a = perRequest(queries, q -> model.embedQueries(List.of(q)));
        double b = perRequest(queries, q -> search.search(command(q)));
        double c =
            perRequest(
                queries,
                q -> {
                  model.embedQueries(List.of(q));
                  search.search(command(q));
                });
        if (round >= WARM_UP_ROUNDS) {
          embed.add(a);
          alone.add(b);
          both.add(c);
        }
      }
      return new Result(new Samples(embed), new Samples(alone), new Samples(both));
    }
  }

  /** The HTTP API's search for {@code {"query": q, "k": 10}}. */
  private static SearchCommand command(String query) {
    return new SearchCommand(
        query, 10, MetadataFilter.none(), null, true, false, RetrievalMode.DEFAULT);
  }

  private static double perRequest(List<String> queries, java.util.function.Consumer<String> work) {
    long start = Cpu.processCpuNanos();
    for (int i = 0; i < PER_ROUND; i++) {
      work.accept(queries.get(i % queries.size()));
    }
    return (Cpu.processCpuNanos() - start) / 1e6 / PER_ROUND;
  }

  static String markdown(Result r, int rounds) {
    return ("Search beside the model (`SearchBesideModel`, run by the fargate part on the model"
            + " service's index once its rounds are over): in one JVM on one thread, process"
            + " CPU-ms per request, %d rounds of %d requests after %d warm-up rounds, the three"
            + " kinds alternating. The search is the service's default (hybrid, one hit per"
            + " document, k = 10) with its query vector computed beforehand.\n\n"
            + "| request | CPU-ms per request |\n|---|---|\n"
            + "| the query's embedding alone (the embed-only route's work) | %s |\n"
            + "| the search alone, its vector computed beforehand | %s |\n"
            + "| the embedding, then the search (a search request's work) | %s |\n\n"
            + "After the embedding the search adds %s CPU-ms, against %s alone. Neither's code"
            + " changes between the two: they share the core's caches, and a run of the model"
            + " streams its weights (34 MB for the default, int8 bge-small) through a 1 MB L2, so each"
            + " finds less of its own data and code there. The embed-only route never pays this;"
            + " a search served beside the model always does.\n")
        .formatted(
            rounds,
            PER_ROUND,
            WARM_UP_ROUNDS,
            r.embed().format(""),
            r.search().format(""),
            r.embedThenSearch().format(""),
            Samples.fmt(r.searchAfterEmbedding()),
            Samples.fmt(r.search().median()));
  }

  /** The model's vectors for the benchmark's queries, computed once: the search alone. */
  private record Precomputed(EmbeddingModel model, Map<String, float[]> vectors)
      implements EmbeddingModel {
    @Override
    public String modelId() {
      return model.modelId();
    }

    @Override
    public int dimension() {
      return model.dimension();
    }

    @Override
    public int maxInputTokens() {
      return model.maxInputTokens();
    }

    @Override
    public int countTokens(String text) {
      return model.countTokens(text);
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      return texts.stream()
          .map(
              t ->
                  java.util.Objects.requireNonNull(vectors.get(t), "no vector computed for " + t)
                      .clone())
          .toList();
    }
  }
}
