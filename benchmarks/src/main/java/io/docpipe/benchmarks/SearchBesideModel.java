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
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
 * (c) the two one after the other, as a search request runs them. CPU per request of the Java
 * threads, the kinds taking turns in small batches, so that (c) minus (a) is what a search adds
 * once the model has run, and (b) what it costs with the caches to itself. The Fargate part's
 * server CPU per search exceeds its embed-only route's by more than the search alone costs; this
 * shows where the rest goes.
 *
 * <p>Run alone: {@code java -cp <benchmarks classpath> io.docpipe.benchmarks.SearchBesideModel
 * INDEX_DIR} with the {@code DOCPIPE_INDEX_DIR} of a Fargate service that ingested the benchmark's
 * documents (its {@code lucene/} holds the index; the service must be stopped).
 */
final class SearchBesideModel {

  /** Requests of each kind per round. */
  static final int PER_ROUND = 400;

  static final int WARM_UP_ROUNDS = 10;

  /** Requests of one kind before the next kind's turn. */
  static final int BATCH = 50;

  /**
   * CPU-ms per request of each kind, one sample per round, and what the search adds after the
   * embedding: (c) minus (a), round by round.
   */
  record Result(
      Samples embed, Samples search, Samples embedThenSearch, Samples searchAfterEmbedding) {}

  private SearchBesideModel() {}

  @SuppressWarnings("SystemOut") // a CLI main: its table goes to stdout
  public static void main(String[] args) {
    Result r = run(Path.of(args[0]), FargateBenchmark.queryTexts(), 8);
    System.out.println(markdown(r, 8));
  }

  static Result run(Path indexDir, List<String> queries, int rounds) {
    // The model the Fargate service runs with the benchmark's environment (FargateBenchmark).
    try (OnnxEmbeddingModel model =
            OnnxEmbeddingModel.of(
                DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_ONNX_THREADS", "2")).onnx());
        VectorStore store =
            LuceneVectorStores.open(
                indexDir.resolve("lucene"), model.dimension(), model.modelId(), Duration.ZERO)) {
      Map<String, float[]> vectors = new HashMap<>();
      for (String query : queries) {
        vectors.put(query, model.embedQueries(List.of(query)).getFirst());
      }
      EmbeddingModel precomputed = new Precomputed(model, vectors);
      SearchDocumentsService search = new SearchDocumentsService(precomputed, store);
      List<Double> embed = new ArrayList<>();
      List<Double> alone = new ArrayList<>();
      List<Double> both = new ArrayList<>();
      List<Double> added = new ArrayList<>();
      for (int round = 0; round < WARM_UP_ROUNDS + rounds; round++) {
        // The three kinds take turns in batches, so that the machine's drift within a round
        // reaches all three alike.
        long[] cpu = new long[3];
        for (int batch = 0; batch < PER_ROUND / BATCH; batch++) {
          int first = batch * BATCH;
          cpu[0] += javaThreadsCpu(first, queries, q -> model.embedQueries(List.of(q)));
          cpu[1] += javaThreadsCpu(first, queries, q -> search.search(command(q)));
          cpu[2] +=
              javaThreadsCpu(
                  first,
                  queries,
                  q -> {
                    model.embedQueries(List.of(q));
                    search.search(command(q));
                  });
        }
        if (round >= WARM_UP_ROUNDS) {
          embed.add(cpu[0] / 1e6 / PER_ROUND);
          alone.add(cpu[1] / 1e6 / PER_ROUND);
          both.add(cpu[2] / 1e6 / PER_ROUND);
          added.add((cpu[2] - cpu[0]) / 1e6 / PER_ROUND);
        }
      }
      return new Result(
          new Samples(embed), new Samples(alone), new Samples(both), new Samples(added));
    }
  }

  /** The HTTP API's search for {@code {"query": q, "k": 10}}. */
  private static SearchCommand command(String query) {
    return new SearchCommand(
        query, 10, MetadataFilter.none(), null, true, false, RetrievalMode.DEFAULT);
  }

  /**
   * CPU nanoseconds that every Java thread (the search's lexical side runs on a virtual thread, so
   * on a carrier) spent on {@link #BATCH} requests from query {@code first} on. Compiler and
   * collector threads are not Java threads: they are left out, and so is their noise.
   */
  private static long javaThreadsCpu(
      int first, List<String> queries, java.util.function.Consumer<String> work) {
    long start = javaThreadsCpu();
    for (int i = first; i < first + BATCH; i++) {
      work.accept(queries.get(i % queries.size()));
    }
    return javaThreadsCpu() - start;
  }

  private static long javaThreadsCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long sum = 0;
    for (long id : threads.getAllThreadIds()) {
      long nanos = threads.getThreadCpuTime(id);
      if (nanos > 0) {
        sum += nanos;
      }
    }
    return sum;
  }

  static String markdown(Result r, int rounds) {
    return ("Search beside the model (`SearchBesideModel`, run by the fargate part on the model"
            + " service's index once its rounds are over): in one JVM, one request at a time,"
            + " CPU-ms per request of the JVM's Java threads (compiler and collector threads left"
            + " out), %d rounds of %d requests of each kind after %d warm-up rounds, the three"
            + " kinds taking turns in batches of %d. The search is the service's default (hybrid, one hit per"
            + " document, k = 10) with its query vector computed beforehand.\n\n"
            + "| request | CPU-ms per request |\n|---|---|\n"
            + "| the query's embedding alone (the embed-only route's work) | %s |\n"
            + "| the search alone, its vector computed beforehand | %s |\n"
            + "| the embedding, then the search (a search request's work) | %s |\n\n"
            + "After the embedding the search adds %s CPU-ms (each round's difference), against %s alone. Neither's code"
            + " changes between the two; what differs, most likely, is what the core's caches"
            + " still hold: a run of the model streams its weights (34 MB for the default, int8"
            + " bge-small) through a 1 MB L2. The embed-only route never pays this; a search"
            + " served beside the model always does.\n")
        .formatted(
            rounds,
            PER_ROUND,
            WARM_UP_ROUNDS,
            BATCH,
            r.embed().format(""),
            r.search().format(""),
            r.embedThenSearch().format(""),
            r.searchAfterEmbedding().format(""),
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
