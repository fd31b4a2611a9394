package io.docpipe.lucene;

import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.testkit.TestPoints;
import java.lang.management.CompilationMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Where the benchmark suite's search p99 at 10k vectors comes from: the same index and queries as
 * {@code SearchBenchmark} (clustered 384-dimensional unit vectors, 50 per document, written 20
 * documents at a time, merged, k = 10), passes of timed HNSW searches, and for each pass its p50,
 * p99, slowest queries and the GC and JIT time spent during it. Arguments: size (10000), queries
 * (500), passes (6; the suite records all but the first). Run it by hand; it asserts nothing.
 */
final class SearchLatencyMain {

  private SearchLatencyMain() {}

  public static void main(String[] args) {
    int size = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int queries = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int passes = args.length > 2 ? Integer.parseInt(args[2]) : 6;
    java.lang.management.ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Random random = new Random(42);
    int topics = Math.max(10, size / 200);
    List<float[]> centroids = TestPoints.randomUnitVectors(random, topics, 384);
    List<float[]> vectors = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      vectors.add(near(centroids.get(random.nextInt(topics)), random));
    }
    List<float[]> queryVectors = new ArrayList<>(queries);
    for (int i = 0; i < queries; i++) {
      queryVectors.add(near(centroids.get(random.nextInt(topics)), random));
    }
    try (VectorStore store = LuceneVectorStores.inMemory(384)) {
      List<DocumentWrite> writes = new ArrayList<>();
      for (int i = 0; i < size; i += 50) {
        writes.add(TestPoints.document("doc-" + i, vectors.subList(i, Math.min(size, i + 50))));
        if (writes.size() == 20) {
          store.write(writes);
          writes.clear();
        }
      }
      if (!writes.isEmpty()) {
        store.write(writes);
      }
      store.optimizeForSearch();
      // As SearchBenchmark.recall: an exact and an approximate search per query first.
      for (float[] q : queryVectors) {
        store.search(new VectorQuery(q, 10, MetadataFilter.none(), null, true));
        store.search(new VectorQuery(q, 10, MetadataFilter.none(), null, false));
      }
      for (int pass = 0; pass < passes; pass++) {
        long switches = involuntarySwitches();
        long gc = gcMillis();
        long jit = jitMillis();
        long[] nanos = new long[queries];
        long[] cpuNanos = new long[queries];
        for (int i = 0; i < queries; i++) {
          long cpu = threads.getCurrentThreadCpuTime();
          long start = System.nanoTime();
          store.search(
              new VectorQuery(queryVectors.get(i), 10, MetadataFilter.none(), null, false));
          nanos[i] = System.nanoTime() - start;
          cpuNanos[i] = threads.getCurrentThreadCpuTime() - cpu;
        }
        Integer[] slowest = new Integer[queries];
        Arrays.setAll(slowest, i -> i);
        Arrays.sort(slowest, (a, b) -> Long.compare(nanos[b], nanos[a]));
        StringBuilder worst = new StringBuilder();
        for (int i = 0; i < 6; i++) {
          worst.append(
              String.format(
                  " #%d=%.1f (cpu %.2f)",
                  slowest[i], nanos[slowest[i]] / 1e6, cpuNanos[slowest[i]] / 1e6));
        }
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        long[] sortedCpu = cpuNanos.clone();
        Arrays.sort(sortedCpu);
        System.out.printf(
            "pass %d: p50 %.0f us, p99 %.0f us (thread CPU: p50 %.0f us, p99 %.0f us), max %.1f ms;"
                + " GC %d ms, JIT %d ms; %d queries over 5 ms, %d involuntary context switches;"
                + " slowest (ms):%s%n",
            pass,
            sorted[(int) Math.ceil(0.5 * queries) - 1] / 1e3,
            sorted[(int) Math.ceil(0.99 * queries) - 1] / 1e3,
            sortedCpu[(int) Math.ceil(0.5 * queries) - 1] / 1e3,
            sortedCpu[(int) Math.ceil(0.99 * queries) - 1] / 1e3,
            sorted[queries - 1] / 1e6,
            gcMillis() - gc,
            jitMillis() - jit,
            Arrays.stream(nanos).filter(t -> t > 5_000_000).count(),
            involuntarySwitches() - switches,
            worst);
      }
    }
  }

  /** This thread's preemptions by the OS so far (Linux), or -1. */
  private static long involuntarySwitches() {
    try {
      for (String line :
          java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/thread-self/status"))) {
        if (line.startsWith("nonvoluntary_ctxt_switches:")) {
          return Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  private static long gcMillis() {
    long total = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      total += gc.getCollectionTime();
    }
    return total;
  }

  private static long jitMillis() {
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    return jit == null ? 0 : jit.getTotalCompilationTime();
  }

  /** A unit vector at cosine ~0.8 from {@code centroid} (as SearchBenchmark). */
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
