package io.docpipe.benchmarks;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.testkit.TestPoints;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What ADR 0036's 1% rule costs under a trickle of writes: a Lucene index of N one-chunk documents
 * (random unit vectors of 384 dimensions), bulk-loaded and merged, then 1% new documents written
 * ten at a time and merged, then 1% of the existing documents replaced ten at a time (deletes in
 * the largest segment) and merged: each merge is what the store's quiet merge runs once a trickle
 * has put 1% of the points beside the largest segment. Wall and process CPU time of each.
 *
 * <p>Run alone: {@code java -cp <benchmarks classpath> io.docpipe.benchmarks.TrickleMergeCost
 * EMPTY_DIR N}.
 */
final class TrickleMergeCost {

  private static final int DIMENSION = 384;

  private final Random random = new Random(5);
  private long stamp = 1;

  private TrickleMergeCost() {}

  @SuppressWarnings("SystemOut") // a CLI main: its report goes to stdout
  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int documents = Integer.parseInt(args[1]);
    new TrickleMergeCost().run(dir, documents);
  }

  @SuppressWarnings("SystemOut")
  private void run(Path dir, int documents) {
    try (VectorStore store = LuceneVectorStores.open(dir, DIMENSION, "random", Duration.ZERO)) {
      long cpu = Cpu.processCpuNanos();
      long wall = System.nanoTime();
      for (int first = 0; first < documents; first += 1000) {
        write(store, first, Math.min(documents, first + 1000), 0, 1, Integer.MAX_VALUE);
      }
      System.out.println(report("bulk load of %,d documents".formatted(documents), wall, cpu));
      merge(store, "merge after the bulk load");
      int onePercent = documents / 100;
      for (int first = documents; first < documents + onePercent; first += 10) {
        write(store, first, Math.min(documents + onePercent, first + 10), 0, 1, Integer.MAX_VALUE);
      }
      merge(store, "merge of %,d new documents (1%%)".formatted(onePercent));
      for (int first = 0; first < onePercent; first += 10) {
        // Spread over the index, so that the replaced points are deleted all over the largest
        // segment.
        write(store, first, Math.min(onePercent, first + 10), 1, 97, documents);
      }
      merge(store, "merge of %,d replaced documents (1%%)".formatted(onePercent));
      System.out.println("points: %,d".formatted(store.count()));
    }
  }

  /** Documents {@code i * stride % modulo} for i in [from, to), at {@code version}. */
  private void write(VectorStore store, int from, int to, int version, int stride, int modulo) {
    List<DocumentWrite> batch = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      batch.add(document((int) ((long) i * stride % modulo), version));
    }
    store.write(batch);
  }

  private DocumentWrite document(int number, int version) {
    DocumentId id = DocumentId.of("d" + number);
    String text = "document " + number + " version " + version;
    ContentHash hash = ContentHash.of(text);
    PointPayload payload =
        new PointPayload(id, hash, 0, text, 0, text.length(), "mem:" + number, Map.of());
    return new DocumentWrite(
        id,
        hash,
        List.of(
            new Point(PointId.of(id, 0), TestPoints.randomUnitVector(random, DIMENSION), payload)),
        stamp++);
  }

  @SuppressWarnings("SystemOut")
  private static void merge(VectorStore store, String what) {
    long cpu = Cpu.processCpuNanos();
    long wall = System.nanoTime();
    store.optimizeForSearch();
    System.out.println(report(what, wall, cpu));
  }

  private static String report(String what, long wallStart, long cpuStart) {
    return "%s: %.1f s wall, %.1f CPU-s"
        .formatted(
            what, (System.nanoTime() - wallStart) / 1e9, (Cpu.processCpuNanos() - cpuStart) / 1e9);
  }
}
