package io.docpipe.lucene;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.hash;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.testkit.VectorStoreContract;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The on-disk Lucene store against the contract, plus durability, locking and reopening. */
class OnDiskLuceneVectorStoreTest extends VectorStoreContract {

  @TempDir Path temp;

  private final AtomicInteger stores = new AtomicInteger();

  @Override
  protected VectorStore newStore(int dimension) {
    return LuceneVectorStores.open(temp.resolve("index-" + stores.incrementAndGet()), dimension);
  }

  @Override
  protected boolean supportsReopen() {
    return true;
  }

  @Override
  protected VectorStore reopen(int dimension) {
    return LuceneVectorStores.open(temp.resolve("index-" + stores.get()), dimension);
  }

  @Test
  void writtenPoints_surviveCloseAndReopen() {
    Random random = new Random(seed());
    Path dir = temp.resolve("durable");
    List<float[]> vectors = randomUnitVectors(random, 6, DIMENSION);
    DocumentWrite kept = document("kept", Map.of("lang", "en"), vectors.subList(0, 4));
    try (VectorStore store = LuceneVectorStores.open(dir, DIMENSION)) {
      store.write(List.of(kept, document("deleted", vectors.subList(4, 6))));
      store.delete(DocumentId.of("deleted"));
    }

    try (VectorStore reopened = LuceneVectorStores.open(dir, DIMENSION)) {
      assertThat(reopened.count()).isEqualTo(4);
      assertThat(reopened.storedHashes(List.of(DocumentId.of("kept"), DocumentId.of("deleted"))))
          .containsOnly(Map.entry(DocumentId.of("kept"), hash("kept", "v1")));
      var hit =
          reopened
              .search(
                  new VectorQuery(
                      vectors.get(2),
                      1,
                      MetadataFilter.of(MetadataFilter.eq("lang", "en")),
                      null,
                      false))
              .getFirst();
      assertThat(hit.payload()).isEqualTo(kept.points().get(2).payload());
      assertThat(hit.score()).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void readAll_returnsEveryLivePoint_byPointId_whileAWriterHoldsTheLock() {
    Random random = new Random(seed());
    Path dir = temp.resolve("read-all");
    List<float[]> vectors = randomUnitVectors(random, 5, DIMENSION);
    DocumentWrite kept = document("kept", Map.of("lang", "en"), vectors.subList(0, 3));
    try (VectorStore store = LuceneVectorStores.open(dir, DIMENSION)) {
      store.write(List.of(kept, document("deleted", vectors.subList(3, 5))));
      store.delete(DocumentId.of("deleted"));

      List<Point> points = LuceneVectorStores.readAll(dir);

      assertThat(points)
          .isSortedAccordingTo(java.util.Comparator.comparing(p -> p.id().toString()));
      assertThat(points.stream().map(Point::payload))
          .containsExactlyInAnyOrderElementsOf(kept.points().stream().map(Point::payload).toList());
      for (Point written : kept.points()) {
        Point read = points.stream().filter(p -> p.id().equals(written.id())).findFirst().get();
        // Stored unit length: the input was unit length already, so equal up to rounding.
        assertThat(read.vector()).containsExactly(written.vector(), within(1e-6f));
      }
    }
  }

  @Test
  void readAll_ofADirectoryWithoutAnIndex_failsNamingIt() {
    Path empty = temp.resolve("no-index");
    assertThatThrownBy(() -> LuceneVectorStores.readAll(empty))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("no-index");
  }

  @Test
  void reopeningWithAnotherDimension_failsNamingBoth() {
    Random random = new Random(seed());
    Path dir = temp.resolve("dimension");
    try (VectorStore store = LuceneVectorStores.open(dir, DIMENSION)) {
      store.write(List.of(document("a", randomUnitVectors(random, 1, DIMENSION))));
    }

    assertThatThrownBy(() -> LuceneVectorStores.open(dir, 384))
        .isInstanceOfSatisfying(
            VectorStoreException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining(String.valueOf(DIMENSION))
        .hasMessageContaining("384");
    try (VectorStore again = LuceneVectorStores.open(dir, DIMENSION)) {
      assertThat(again.count()).isEqualTo(1);
    }
  }

  @Test
  void emptyIndex_remembersItsDimension() {
    Path dir = temp.resolve("empty");
    LuceneVectorStores.open(dir, 16).close();

    assertThatThrownBy(() -> LuceneVectorStores.open(dir, 17))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("16");
  }

  @Test
  void secondOpenOfTheSameDirectory_failsWithALockError() {
    Path dir = temp.resolve("locked");
    try (VectorStore first = LuceneVectorStores.open(dir, DIMENSION)) {
      assertThatThrownBy(() -> LuceneVectorStores.open(dir, DIMENSION))
          .isInstanceOf(VectorStoreException.class)
          .hasMessageContaining("index at " + dir.toAbsolutePath())
          .hasMessageContaining("locked by another process");
      first.checkHealth();
    }
    LuceneVectorStores.open(dir, DIMENSION).close();
  }

  @Test
  void index_of3072DimensionalVectors_reopens() {
    Random random = new Random(seed());
    Path dir = temp.resolve("openai");
    List<float[]> vectors = randomUnitVectors(random, 30, 3072);
    DocumentWrite document = document("large", vectors);
    try (VectorStore store = LuceneVectorStores.open(dir, 3072)) {
      store.write(List.of(document));
    }

    try (VectorStore reopened = LuceneVectorStores.open(dir, 3072)) {
      assertThat(reopened.count()).isEqualTo(30);
      for (boolean exact : List.of(false, true)) {
        var hit =
            reopened
                .search(new VectorQuery(vectors.get(11), 1, MetadataFilter.none(), null, exact))
                .getFirst();
        assertThat(hit.id()).isEqualTo(document.points().get(11).id());
      }
      reopened.write(List.of(document("more", randomUnitVectors(random, 5, 3072))));
      assertThat(reopened.count()).isEqualTo(35);
    }
  }
}
