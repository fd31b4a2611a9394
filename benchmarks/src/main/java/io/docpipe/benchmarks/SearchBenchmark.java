package io.docpipe.benchmarks;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.testkit.TestPoints;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Search latency at a given index size: the lucene adapter (HNSW, and its exact scan) against
 * LangChain4j's {@code InMemoryEmbeddingStore} (a linear scan), on the same vectors and queries;
 * recall@10 of HNSW against the exact answer.
 *
 * <p>Vectors are synthetic but shaped like sentence embeddings: unit vectors around a few hundred
 * topic centroids (uniformly random vectors are the adversarial case for HNSW and unlike any text).
 */
final class SearchBenchmark {

  static final int DIMENSION = 384;
  static final int K = 10;
  static final int POINTS_PER_DOCUMENT = 50;

  record Result(
      int size,
      Samples docpipeP50Micros,
      Samples docpipeP99Micros,
      Samples baselineP50Micros,
      Samples baselineP99Micros,
      double recallAt10,
      Samples exactScanVectorsPerCpuSecond) {
    Samples p50Speedup() {
      return baselineP50Micros.over(docpipeP50Micros);
    }
  }

  private SearchBenchmark() {}

  static Result run(int size, int queries, int warmups, int runs, long seed) {
    Random random = new Random(seed);
    int topics = Math.max(10, size / 200);
    List<float[]> centroids = TestPoints.randomUnitVectors(random, topics, DIMENSION);
    List<float[]> vectors = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      vectors.add(near(centroids.get(random.nextInt(topics)), random));
    }
    List<float[]> queryVectors = new ArrayList<>(queries);
    for (int i = 0; i < queries; i++) {
      queryVectors.add(near(centroids.get(random.nextInt(topics)), random));
    }

    try (VectorStore store = LuceneVectorStores.inMemory(DIMENSION)) {
      List<DocumentWrite> writes = new ArrayList<>();
      for (int i = 0; i < size; i += POINTS_PER_DOCUMENT) {
        writes.add(
            TestPoints.document(
                "doc-" + i, vectors.subList(i, Math.min(size, i + POINTS_PER_DOCUMENT))));
        if (writes.size() == 20) {
          store.write(writes);
          writes.clear();
        }
      }
      if (!writes.isEmpty()) {
        store.write(writes);
      }
      // The index is bulk-loaded, as a batch job (a GKE shard) leaves it: merged for search.
      store.optimizeForSearch();
      InMemoryEmbeddingStore<TextSegment> baseline = new InMemoryEmbeddingStore<>();
      List<Embedding> embeddings = vectors.stream().map(Embedding::from).toList();
      baseline.addAll(embeddings);

      double recall = recall(store, queryVectors);
      Latency docpipe =
          Latency.measure(warmups, runs, queryVectors, q -> store.search(query(q, false)));
      Latency theirs =
          Latency.measure(
              warmups,
              runs,
              queryVectors,
              q ->
                  baseline.search(
                      EmbeddingSearchRequest.builder()
                          .queryEmbedding(Embedding.from(q))
                          .maxResults(K)
                          .build()));
      Samples exactScan =
          Samples.perCpuSecond(
              warmups,
              runs,
              () -> {
                queryVectors.forEach(q -> store.search(query(q, true)));
                return (long) size * queryVectors.size();
              });
      return new Result(
          size, docpipe.p50(), docpipe.p99(), theirs.p50(), theirs.p99(), recall, exactScan);
    }
  }

  private static double recall(VectorStore store, List<float[]> queries) {
    long found = 0;
    for (float[] q : queries) {
      Set<Object> exact = new HashSet<>();
      for (SearchHit hit : store.search(query(q, true))) {
        exact.add(hit.id());
      }
      for (SearchHit hit : store.search(query(q, false))) {
        if (exact.contains(hit.id())) {
          found++;
        }
      }
    }
    return (double) found / (queries.size() * (double) K);
  }

  private static VectorQuery query(float[] vector, boolean exact) {
    return new VectorQuery(vector, K, MetadataFilter.none(), null, exact);
  }

  /** p50 and p99 of one pass over the queries, per recorded pass. */
  record Latency(Samples p50, Samples p99) {
    static Latency measure(
        int warmups, int runs, List<float[]> queries, java.util.function.Consumer<float[]> search) {
      List<Double> p50 = new ArrayList<>();
      List<Double> p99 = new ArrayList<>();
      for (int run = 0; run < warmups + runs; run++) {
        long[] nanos = new long[queries.size()];
        for (int i = 0; i < queries.size(); i++) {
          long start = System.nanoTime();
          search.accept(queries.get(i));
          nanos[i] = System.nanoTime() - start;
        }
        if (run >= warmups) {
          p50.add(percentile(nanos, 0.50));
          p99.add(percentile(nanos, 0.99));
        }
      }
      return new Latency(new Samples(p50), new Samples(p99));
    }
  }

  /** The {@code q} quantile in microseconds (nearest rank). */
  static double percentile(long[] nanos, double q) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(q * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank))] / 1e3;
  }

  /** A unit vector at cosine ~0.8 from {@code centroid}. */
  private static float[] near(float[] centroid, Random random) {
    float[] v = new float[centroid.length];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = centroid[i] + (float) (random.nextGaussian() * 0.037);
      norm += v[i] * v[i];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= inv;
    }
    return v;
  }
}
