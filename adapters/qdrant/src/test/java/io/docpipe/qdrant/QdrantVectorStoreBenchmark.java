package io.docpipe.qdrant;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVector;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;

import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.harness.qdrant.QdrantStandIn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Upsert throughput and search latency through the adapter against the Qdrant stand-in (real gRPC
 * on loopback): what the client side costs (payload building, protobuf, batching, HTTP/2), plus the
 * stand-in's own exhaustive scan. Not Qdrant's speed. Runs only with {@code -Ddocpipe.bench=true};
 * prints, asserts nothing.
 */
@EnabledIfSystemProperty(named = "docpipe.bench", matches = "true")
class QdrantVectorStoreBenchmark {

  private static final int DIMENSION = 384;
  private static final int CHUNKS = 10;

  @Test
  void upsertPointsPerSecond_andSearchLatency() {
    int points = Integer.getInteger("docpipe.bench.points", 20_000);
    Random random = new Random(3);
    List<DocumentWrite> documents = new ArrayList<>();
    for (int d = 0; d < points / CHUNKS; d++) {
      documents.add(
          document(
              "bench/doc-" + d,
              Map.of("shard", String.valueOf(d % 10), "lang", d % 2 == 0 ? "en" : "de"),
              randomUnitVectors(random, CHUNKS, DIMENSION)));
    }
    try (QdrantStandIn qdrant = QdrantStandIn.start()) {
      for (int[] batching : new int[][] {{64, 1}, {128, 4}, {256, 4}}) {
        String collection = "bench-" + batching[0] + "-" + batching[1];
        try (VectorStore store =
            QdrantVectorStores.connect(
                QdrantSettings.of(qdrant.host(), qdrant.port(), collection)
                    .withBatching(batching[0], batching[1]),
                DIMENSION)) {
          store.write(documents.subList(0, 20)); // warm-up: channel, JIT
          long start = System.nanoTime();
          for (int from = 0; from < documents.size(); from += 100) {
            store.write(documents.subList(from, Math.min(documents.size(), from + 100)));
          }
          double seconds = (System.nanoTime() - start) / 1e9;
          print(
              "upsert %,d x %d (windows of 100 documents, batch %d, %d concurrent): %.1f s,"
                  + " %,.0f points/s",
              points, DIMENSION, batching[0], batching[1], seconds, points / seconds);
        }
      }
      try (VectorStore store =
          QdrantVectorStores.connect(
              QdrantSettings.of(qdrant.host(), qdrant.port(), "bench-128-4"), DIMENSION)) {
        latency(store, random, "k=10, no filter", MetadataFilter.none(), points);
        latency(
            store,
            random,
            "k=10, filter lang=en",
            MetadataFilter.of(MetadataFilter.eq("lang", "en")),
            points);
      }
      try (VectorStore small =
          QdrantVectorStores.connect(
              QdrantSettings.of(qdrant.host(), qdrant.port(), "bench-small"), DIMENSION)) {
        small.write(documents.subList(0, 10));
        latency(small, random, "k=10, no filter", MetadataFilter.none(), 100);
      }
    }
  }

  private static void latency(
      VectorStore store, Random random, String what, MetadataFilter filter, int points) {
    for (int i = 0; i < 200; i++) {
      store.search(new VectorQuery(randomUnitVector(random, DIMENSION), 10, filter, null, false));
    }
    int queries = 1000;
    long[] nanos = new long[queries];
    for (int i = 0; i < queries; i++) {
      VectorQuery query =
          new VectorQuery(randomUnitVector(random, DIMENSION), 10, filter, null, false);
      long t = System.nanoTime();
      store.search(query);
      nanos[i] = System.nanoTime() - t;
    }
    Arrays.sort(nanos);
    print(
        "search %s over %,d points (payload returned): p50 %.2f ms, p99 %.2f ms",
        what, points, nanos[queries / 2] / 1e6, nanos[queries * 99 / 100] / 1e6);
  }

  private static void print(String format, Object... args) {
    System.out.printf("[bench] " + format + "%n", args);
  }
}
