package io.docpipe.lucene;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.lucene.LuceneVectorStore.QuietMergeResult;
import io.docpipe.lucene.LuceneVectorStore.QuietMergeRun;
import io.docpipe.testkit.VectorStoreContract;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.FSDirectory;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Merging when writes go quiet (ADR 0036): the whole store contract with a merge after every
 * millisecond of quiet, so merges run between and beside its writes, deletes and searches; then
 * what a merge does and does not do.
 */
class QuietMergeTest extends VectorStoreContract {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path temp;

  private final AtomicInteger stores = new AtomicInteger();

  @Override
  protected VectorStore newStore(int dimension) {
    return LuceneVectorStores.open(
        temp.resolve("index-" + stores.incrementAndGet()), dimension, null, Duration.ofMillis(1));
  }

  @Override
  protected boolean supportsReopen() {
    return true;
  }

  @Override
  protected VectorStore reopen(int dimension) {
    return LuceneVectorStores.open(
        temp.resolve("index-" + stores.get()), dimension, null, Duration.ofMillis(1));
  }

  @Test
  void manySmallWrites_endInOneSegment_onceWritesGoQuiet_withEveryPointFound() throws Exception {
    Path dir = temp.resolve("bulk");
    Random random = new Random(seed());
    List<DocumentWrite> written = new ArrayList<>();
    try (LuceneVectorStore store = open(dir, Duration.ofMillis(200))) {
      for (int call = 0; call < 12; call++) {
        DocumentWrite document = document("doc-" + call, randomUnitVectors(random, 20, DIMENSION));
        store.write(List.of(document));
        written.add(document);
      }

      // A merge may also have run between two slow writes; the one after the last write ends in 1.
      await(
          () -> {
            @Nullable QuietMergeRun run = store.lastQuietMerge();
            return run != null
                && run.result() == QuietMergeResult.MERGED
                && committedSegments(dir) == 1;
          },
          "the index to be merged into one committed segment");

      assertThat(store.count()).isEqualTo(12 * 20);
      for (DocumentWrite document : written) {
        var point = document.points().get(7);
        var hit =
            store
                .search(new VectorQuery(point.vector(), 1, MetadataFilter.none(), null, false))
                .getFirst();
        assertThat(hit.id()).isEqualTo(point.id());
      }
    }
  }

  @Test
  void oneMoreSmallDocument_doesNotRewriteAMergedIndex() throws Exception {
    Path dir = temp.resolve("trickle");
    Random random = new Random(seed());
    try (LuceneVectorStore store = open(dir, Duration.ofMillis(100))) {
      for (int call = 0; call < 4; call++) {
        store.write(List.of(document("doc-" + call, randomUnitVectors(random, 50, DIMENSION))));
      }
      QuietMergeRun merged = awaitRun(store, 0);
      assertThat(merged.result()).isEqualTo(QuietMergeResult.MERGED);

      store.write(List.of(document("one-more", randomUnitVectors(random, 1, DIMENSION))));
      QuietMergeRun next = awaitRun(store, merged.number());

      // 1 point outside a 200-point segment: under the 1% worth rewriting it for.
      assertThat(next.result()).isEqualTo(QuietMergeResult.NOT_NEEDED);
      assertThat(committedSegments(dir)).isEqualTo(2);
      assertThat(store.count()).isEqualTo(201);
    }
  }

  @Test
  void closingDuringAMerge_abortsItInsteadOfWaiting_andReopensWithEveryPoint() throws Exception {
    // Large enough that the merge (its HNSW graph) takes far longer than the polling below.
    int dimension = 64;
    int calls = 6;
    int perCall = 2_500;
    Path dir = temp.resolve("drain");
    Random random = new Random(seed());
    LuceneVectorStore store = open(dir, Duration.ofMillis(50), dimension);
    for (int call = 0; call < calls; call++) {
      List<DocumentWrite> documents = new ArrayList<>();
      for (int d = 0; d < perCall / 100; d++) {
        documents.add(document("c" + call + "-d" + d, randomUnitVectors(random, 100, dimension)));
      }
      store.write(documents);
    }
    await(store::quietMergeInLucene, "the merge to start in Lucene");
    int segmentsBefore = committedSegments(dir);

    long closing = System.nanoTime();
    store.close();
    long closeNanos = System.nanoTime() - closing;

    assertThat(store.lastQuietMerge()).isNotNull();
    assertThat(store.lastQuietMerge().result()).isEqualTo(QuietMergeResult.ABORTED);
    assertThat(committedSegments(dir)).isEqualTo(segmentsBefore).isGreaterThan(1);
    try (VectorStore reopened = LuceneVectorStores.open(dir, dimension)) {
      assertThat(reopened.count()).isEqualTo((long) calls * perCall);
      // The same merge run to its end, on this machine now: what a close that waited would add.
      long merging = System.nanoTime();
      reopened.optimizeForSearch();
      long mergeNanos = System.nanoTime() - merging;
      assertThat(committedSegments(dir)).isEqualTo(1);
      assertThat(closeNanos)
          .as(
              "close took %d ms; the whole merge takes %d ms",
              closeNanos / 1_000_000, mergeNanos / 1_000_000)
          .isLessThan(mergeNanos / 2);
    }
  }

  @Test
  void aNegativeQuietPeriod_isRefused_beforeTheDirectoryIsOpened() {
    assertThatThrownBy(
            () ->
                LuceneVectorStores.open(temp.resolve("x"), DIMENSION, null, Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be negative");
    assertThat(temp.resolve("x")).doesNotExist();
  }

  private LuceneVectorStore open(Path dir, Duration quiet) {
    return open(dir, quiet, DIMENSION);
  }

  private static LuceneVectorStore open(Path dir, Duration quiet, int dimension) {
    return (LuceneVectorStore) LuceneVectorStores.open(dir, dimension, null, quiet);
  }

  private static QuietMergeRun awaitRun(LuceneVectorStore store, long after) throws Exception {
    await(
        () -> {
          @Nullable QuietMergeRun run = store.lastQuietMerge();
          return run != null && run.number() > after;
        },
        "a merge after run " + after);
    return java.util.Objects.requireNonNull(store.lastQuietMerge());
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + WAIT + " for " + what);
      }
      Thread.sleep(1);
    }
  }

  private static int committedSegments(Path dir) {
    try (var directory = FSDirectory.open(dir);
        var reader = DirectoryReader.open(directory)) {
      return reader.leaves().size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
