package io.docpipe.qdrant;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.docpipe.testkit.TestPoints;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two processes writing or deleting one document in Qdrant at the same time (ADR 0027): each store
 * below has its own client and connection, as two Lambda invocations would. The stand-in's
 * before-update hook runs the other operation whole just before a chosen Upsert or Delete of the
 * first is applied, at every step of it, so every interleaving of "one operation inside the other"
 * is tried; the end state is one whole version, the newest-stamped one, or none after a newer
 * deletion.
 */
class QdrantWritersOfOneDocumentTest {

  private static final int DIMENSION = 8;
  private static final String DOC = "shared.md";
  private static final String COLLECTION_PREFIX = "one-document-";

  private final QdrantStandIn qdrant = QdrantStandIn.start();
  private final Random random = new Random(17);
  private final AtomicInteger collections = new AtomicInteger();
  private final List<VectorStore> opened = new ArrayList<>();

  @AfterEach
  void stop() {
    qdrant.beforeEachUpdate(null);
    opened.forEach(VectorStore::close);
    qdrant.close();
  }

  /** A store of its own (its own client): another process writing the same collection. */
  private VectorStore process(String collection) {
    VectorStore store =
        QdrantVectorStores.connect(
            QdrantSettings.of(qdrant.host(), qdrant.port(), collection), DIMENSION);
    opened.add(store);
    return store;
  }

  private DocumentWrite version(String label, int chunks, long stamp) {
    DocumentWrite w = document(DOC, label, Map.of(), randomUnitVectors(random, chunks, DIMENSION));
    return new DocumentWrite(w.documentId(), w.documentHash(), w.points(), stamp);
  }

  /** The document's points: chunk index → (doc_hash, write_stamp). */
  private Map<Long, List<String>> stored(String collection) {
    Map<Long, List<String>> chunks = new java.util.TreeMap<>();
    for (Map<String, Value> payload : qdrant.points(collection).values()) {
      if (payload.get("doc_id").getStringValue().equals(DOC)) {
        chunks.put(
            payload.get("chunk_index").getIntegerValue(),
            List.of(
                payload.get("doc_hash").getStringValue(),
                Long.toString(payload.get("write_stamp").getIntegerValue())));
      }
    }
    return chunks;
  }

  /**
   * Exactly {@code expected}'s points: every chunk index of it, its hash and stamp, nothing else.
   */
  private void assertWhole(String collection, DocumentWrite expected, String when) {
    Map<Long, List<String>> chunks = stored(collection);
    Set<Long> indexes = new TreeSet<>();
    for (long i = 0; i < expected.points().size(); i++) {
      indexes.add(i);
    }
    assertThat(chunks.keySet()).as(when).isEqualTo(indexes);
    assertThat(chunks.values())
        .as(when)
        .allMatch(
            v -> v.equals(List.of(expected.documentHash().hex(), Long.toString(expected.stamp()))));
  }

  /** The number of Upsert and Delete calls {@code operation} makes on a fresh collection. */
  private int updatesOf(java.util.function.Consumer<VectorStore> operation, DocumentWrite before) {
    String collection = COLLECTION_PREFIX + "count-" + collections.incrementAndGet();
    VectorStore store = process(collection);
    store.write(List.of(before));
    AtomicInteger updates = new AtomicInteger();
    qdrant.beforeEachUpdate(rpc -> updates.incrementAndGet());
    operation.accept(store);
    qdrant.beforeEachUpdate(null);
    return updates.get();
  }

  /**
   * Runs {@code first} in one process; just before its {@code step}-th update (0-based) is applied,
   * runs {@code second} whole in another process. A step past the last runs {@code second} after.
   */
  private void interleave(
      String collection,
      java.util.function.Consumer<VectorStore> first,
      java.util.function.Consumer<VectorStore> second,
      int step)
      throws Exception {
    VectorStore one = process(collection);
    VectorStore two = process(collection);
    AtomicInteger seen = new AtomicInteger();
    AtomicBoolean fired = new AtomicBoolean();
    ExecutorService other = Executors.newSingleThreadExecutor();
    try {
      qdrant.beforeEachUpdate(
          rpc -> {
            if (!fired.get() && seen.getAndIncrement() == step) {
              fired.set(true);
              try {
                other.submit(() -> second.accept(two)).get(30, TimeUnit.SECONDS);
              } catch (Exception e) {
                throw new IllegalStateException("the second operation failed", e);
              }
            }
          });
      first.accept(one);
      qdrant.beforeEachUpdate(null);
      if (!fired.get()) {
        second.accept(two);
      }
    } finally {
      qdrant.beforeEachUpdate(null);
      other.shutdownNow();
    }
  }

  @Test
  void olderWriter_interruptedAtEveryStepByANewerOne_endsWithTheNewerVersionWhole()
      throws Exception {
    DocumentWrite stored = version("v0", 6, 100);
    DocumentWrite older = version("older", 4, 200);
    DocumentWrite newer = version("newer", 2, 300);
    int steps = updatesOf(s -> s.write(List.of(older)), stored);
    assertThat(steps).as("upsert rest, stale removal, upsert chunk 0, settle").isEqualTo(4);

    for (int step = 0; step <= steps; step++) {
      String collection = COLLECTION_PREFIX + collections.incrementAndGet();
      process(collection).write(List.of(stored));
      interleave(collection, s -> s.write(List.of(older)), s -> s.write(List.of(newer)), step);
      assertWhole(collection, newer, "newer write at step " + step + " of the older one");
    }
  }

  @Test
  void newerWriter_interruptedAtEveryStepByAnOlderOne_endsWithTheNewerVersionWhole()
      throws Exception {
    DocumentWrite stored = version("v0", 6, 100);
    DocumentWrite older = version("older", 5, 200);
    DocumentWrite newer = version("newer", 2, 300);
    int steps = updatesOf(s -> s.write(List.of(newer)), stored);

    for (int step = 0; step <= steps; step++) {
      String collection = COLLECTION_PREFIX + collections.incrementAndGet();
      process(collection).write(List.of(stored));
      interleave(collection, s -> s.write(List.of(newer)), s -> s.write(List.of(older)), step);
      assertWhole(collection, newer, "older write at step " + step + " of the newer one");
    }
  }

  @Test
  void newerDeletion_duringAnOlderWrite_leavesNothing_atEveryStep() throws Exception {
    DocumentWrite stored = version("v0", 6, 100);
    DocumentWrite older = version("older", 4, 200);
    DocumentId id = older.documentId();
    int steps = updatesOf(s -> s.write(List.of(older)), stored);

    // Step 0 is the deletion finishing before the write's first update: the store has no trace of
    // it then, and the write stands whole (ADR 0027: a read of the source after writing removes
    // it); at every later step the write removes itself.
    for (int step = 0; step <= steps; step++) {
      String collection = COLLECTION_PREFIX + collections.incrementAndGet();
      process(collection).write(List.of(stored));
      interleave(collection, s -> s.write(List.of(older)), s -> s.deleteOlderThan(id, 250), step);
      if (step == 0) {
        assertWhole(collection, older, "deletion before the write began");
      } else {
        assertThat(stored(collection)).as("deletion at step " + step + " of the write").isEmpty();
      }
    }
  }

  @Test
  void olderDeletion_neverRemovesANewerVersion_atAnyStepOfItsWrite() throws Exception {
    DocumentWrite stored = version("v0", 3, 100);
    DocumentWrite newer = version("newer", 4, 300);
    DocumentId id = newer.documentId();
    int steps = updatesOf(s -> s.write(List.of(newer)), stored);

    for (int step = 0; step <= steps; step++) {
      String collection = COLLECTION_PREFIX + collections.incrementAndGet();
      process(collection).write(List.of(stored));
      interleave(collection, s -> s.write(List.of(newer)), s -> s.deleteOlderThan(id, 200), step);
      assertWhole(collection, newer, "older deletion at step " + step + " of the write");
    }
  }

  @Test
  void deletionOlderThanAStamp_removesOnlyVersionsReadBeforeIt() {
    VectorStore store = process(COLLECTION_PREFIX + "stamped-delete");
    DocumentWrite written = version("v1", 3, 500);
    store.write(List.of(written));

    assertThat(store.deleteOlderThan(written.documentId(), 400)).isZero();
    assertThat(store.deleteOlderThan(written.documentId(), 500)).isZero();
    assertWhole(COLLECTION_PREFIX + "stamped-delete", written, "after older deletions");
    assertThat(store.deleteOlderThan(written.documentId(), 501)).isEqualTo(3);
    assertThat(stored(COLLECTION_PREFIX + "stamped-delete")).isEmpty();
  }

  @Test
  void olderWrite_afterANewerOne_changesNothing_andPointsWrittenBeforeStampsAreReplaced()
      throws Exception {
    String collection = COLLECTION_PREFIX + "late";
    VectorStore store = process(collection);
    // A version written by a docpipe before stamps: its points carry no write_stamp at all.
    DocumentWrite legacy = version("legacy", 5, 1);
    try (QdrantClient raw =
        new QdrantClient(
            QdrantGrpcClient.newBuilder(qdrant.host(), qdrant.port(), false).build())) {
      raw.upsertAsync(
              collection,
              legacy.points().stream()
                  .map(
                      p ->
                          Payloads.toStruct(p, null, 1).toBuilder()
                              .removePayload("write_stamp")
                              .build())
                  .toList())
          .get(30, TimeUnit.SECONDS);
    }
    assertThat(qdrant.points(collection).values())
        .hasSize(5)
        .noneMatch(payload -> payload.containsKey("write_stamp"));

    DocumentWrite newer = version("newer", 2, 300);
    store.write(List.of(newer));
    assertWhole(collection, newer, "a stamped version over an unstamped one");

    store.write(List.of(version("late", 3, 200)));
    assertWhole(collection, newer, "an older write arriving late");
  }

  @Test
  void concurrentWritersOfOneDocument_endWithTheNewestStampedVersionWhole() throws Exception {
    String collection = COLLECTION_PREFIX + "concurrent";
    int threads = 4;
    int rounds = 15;
    List<VectorStore> stores = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      stores.add(process(collection));
    }
    stores.get(0).write(List.of(version("v0", 6, 1)));
    List<DocumentWrite> writes = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        VectorStore store = stores.get(t);
        Random own = new Random(100 + t);
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    DocumentWrite w =
                        version("t" + thread + "r" + r, 1 + own.nextInt(6), TestPoints.nextStamp());
                    writes.add(w);
                    store.write(List.of(w));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    DocumentWrite newest =
        writes.stream().max(java.util.Comparator.comparingLong(DocumentWrite::stamp)).orElseThrow();
    assertWhole(collection, newest, threads * rounds + " writes by " + threads + " processes");
    assertThat(stores.get(0).count()).isEqualTo(newest.points().size());
  }

  @Test
  void concurrentWritersAndDeleters_leaveOneWholeVersionOrNothing() throws Exception {
    String collection = COLLECTION_PREFIX + "mixed";
    int threads = 4;
    int rounds = 15;
    List<VectorStore> stores = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      stores.add(process(collection));
    }
    List<DocumentWrite> writes = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        VectorStore store = stores.get(t);
        Random own = new Random(200 + t);
        int thread = t;
        done.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    long stamp = TestPoints.nextStamp();
                    if (own.nextInt(4) == 0) {
                      store.deleteOlderThan(DocumentId.of(DOC), stamp);
                    } else {
                      DocumentWrite w = version("t" + thread + "r" + r, 1 + own.nextInt(6), stamp);
                      writes.add(w);
                      store.write(List.of(w));
                    }
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    Map<Long, List<String>> chunks = stored(collection);
    if (!chunks.isEmpty()) {
      List<String> one = chunks.values().iterator().next();
      DocumentWrite survivor =
          writes.stream()
              .filter(w -> w.documentHash().hex().equals(one.get(0)))
              .findFirst()
              .orElseThrow();
      assertWhole(collection, survivor, "the surviving version");
    }
  }

  @Test
  void documentsBySource_scrollsPageByPage_andListsOnlyThoseUnderThePrefix() {
    String collection = COLLECTION_PREFIX + "sources";
    VectorStore store = process(collection);
    List<DocumentWrite> documents = new ArrayList<>();
    for (int d = 0; d < 2_500; d++) {
      String id = (d % 2 == 0 ? "a/" : "b/") + d;
      documents.add(document(id, randomUnitVectors(random, d % 3 == 0 ? 2 : 1, DIMENSION)));
    }
    store.write(documents);
    long scrollsBefore = qdrant.calls("qdrant.Points/Scroll");

    Map<DocumentId, String> underA = store.documentsBySource("test:///a/");

    assertThat(underA).hasSize(1_250);
    assertThat(underA)
        .allSatisfy(
            (id, source) -> {
              assertThat(id.value()).startsWith("a/");
              assertThat(source).isEqualTo("test:///" + id.value());
            });
    assertThat(qdrant.calls("qdrant.Points/Scroll") - scrollsBefore)
        .as("one page per 1,000 documents (chunk 0 points only)")
        .isEqualTo(3);
    assertThat(store.documentsBySource("test:///c/")).isEmpty();
  }
}
