package io.docpipe.lucene;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVector;

import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints throughput, latency and recall; runs only with {@code -Ddocpipe.bench=true}. Measurements,
 * not assertions: timings depend on the machine.
 */
@EnabledIfSystemProperty(named = "docpipe.bench", matches = "true")
class LuceneVectorStoreBenchmark {

  private static final int DIMENSION = 384;

  @TempDir Path temp;

  @Test
  void exactScan_vectorsPerSecond() {
    int points = Integer.getInteger("docpipe.bench.points", 100_000);
    Random random = new Random(1);
    Path dir = temp.resolve("exact");
    long start = System.nanoTime();
    try (VectorStore store = LuceneVectorStores.open(dir, DIMENSION)) {
      fill(store, points, () -> randomUnitVector(random, DIMENSION));
    } // close waits for merges, so the timings below see a quiet index
    double buildSeconds = (System.nanoTime() - start) / 1e9;
    print(
        "built %,d x %d on disk in %.1f s (%,.0f points/s, HNSW included)",
        points, DIMENSION, buildSeconds, points / buildSeconds);
    try (VectorStore store = LuceneVectorStores.open(dir, DIMENSION)) {
      for (int i = 0; i < 10; i++) {
        store.search(query(randomUnitVector(random, DIMENSION), 10, true));
      }
      long[] nanos = new long[30];
      for (int i = 0; i < nanos.length; i++) {
        VectorQuery query = query(randomUnitVector(random, DIMENSION), 10, true);
        long t = System.nanoTime();
        store.search(query);
        nanos[i] = System.nanoTime() - t;
      }
      double median = median(nanos) / 1e9;
      print(
          "exact scan of %,d x %d: p50 %.1f ms per query = %,.0f vectors/s (one thread)",
          points, DIMENSION, median * 1e3, points / median);

      VectorQuery filtered =
          new VectorQuery(
              randomUnitVector(random, DIMENSION),
              10,
              MetadataFilter.of(MetadataFilter.eq("shard", "3")),
              null,
              true);
      long t = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        store.search(filtered);
      }
      print("exact scan with a 1-in-10 filter: %.1f ms per query", (System.nanoTime() - t) / 1e7);
    }
  }

  @Test
  void approximateSearch_latencyAndRecall() {
    int points = Integer.getInteger("docpipe.bench.annPoints", 10_000);
    Random random = new Random(2);
    approximate("uniform random", points, () -> randomUnitVector(random, DIMENSION));
    List<float[]> centres = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      centres.add(randomUnitVector(random, DIMENSION));
    }
    // Points near one of 200 topics (same-topic cosine about 0.5), closer to real embeddings.
    approximate(
        "clustered",
        points,
        () -> {
          float[] centre = centres.get(random.nextInt(centres.size()));
          float[] vector = new float[DIMENSION];
          for (int i = 0; i < DIMENSION; i++) {
            vector[i] = centre[i] + (float) (0.05 * random.nextGaussian());
          }
          return vector;
        });
  }

  private void approximate(String data, int points, Supplier<float[]> vectors) {
    Path dir = temp.resolve("ann-" + data.replace(' ', '-'));
    try (VectorStore store = LuceneVectorStores.open(dir, DIMENSION)) {
      fill(store, points, vectors);
    }
    try (VectorStore store = LuceneVectorStores.open(dir, DIMENSION)) {
      for (int i = 0; i < 100; i++) {
        store.search(query(vectors.get(), 10, false));
      }
      int queries = 200;
      List<float[]> queryVectors = new ArrayList<>();
      List<Set<PointId>> exactTop10 = new ArrayList<>();
      for (int i = 0; i < queries; i++) {
        float[] vector = vectors.get();
        queryVectors.add(vector);
        Set<PointId> exact = new HashSet<>();
        for (SearchHit hit : store.search(query(vector, 10, true))) {
          exact.add(hit.id());
        }
        exactTop10.add(exact);
      }
      long[] nanos = new long[queries];
      int found = 0;
      for (int i = 0; i < queries; i++) {
        long t = System.nanoTime();
        List<SearchHit> hits = store.search(query(queryVectors.get(i), 10, false));
        nanos[i] = System.nanoTime() - t;
        found += overlap(hits, exactTop10.get(i));
      }
      Arrays.sort(nanos);
      print(
          "approximate k=10 over %,d x %d %s: p50 %.2f ms, p99 %.2f ms, recall@10 %.3f"
              + " (%d HNSW candidates)",
          points,
          DIMENSION,
          data,
          median(nanos) / 1e6,
          nanos[queries * 99 / 100] / 1e6,
          found / (10.0 * queries),
          LuceneVectorStore.MIN_CANDIDATES);
      // Asking for more hits widens the HNSW beam: what recall more candidates would buy.
      for (int candidates : new int[] {200, 400}) {
        int more = 0;
        for (int i = 0; i < queries; i++) {
          more +=
              overlap(
                  store.search(query(queryVectors.get(i), candidates, false)).subList(0, 10),
                  exactTop10.get(i));
        }
        print("  with %d candidates: recall@10 %.3f", candidates, more / (10.0 * queries));
      }
    }
  }

  private static int overlap(List<SearchHit> hits, Set<PointId> exact) {
    return (int) hits.stream().filter(hit -> exact.contains(hit.id())).count();
  }

  private static void fill(VectorStore store, int points, Supplier<float[]> vectors) {
    int chunks = 10;
    List<DocumentWrite> batch = new ArrayList<>();
    for (int d = 0; d < points / chunks; d++) {
      List<float[]> chunkVectors = new ArrayList<>(chunks);
      for (int c = 0; c < chunks; c++) {
        chunkVectors.add(vectors.get());
      }
      batch.add(document("bench-" + d, Map.of("shard", String.valueOf(d % 10)), chunkVectors));
      if (batch.size() == 100) {
        store.write(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) {
      store.write(batch);
    }
  }

  private static double median(long[] nanos) {
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static VectorQuery query(float[] vector, int k, boolean exact) {
    return new VectorQuery(vector, k, MetadataFilter.none(), null, exact);
  }

  private static void print(String format, Object... args) {
    System.out.printf("[bench] " + format + "%n", args);
  }
}
