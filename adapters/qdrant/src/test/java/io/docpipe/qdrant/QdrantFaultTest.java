package io.docpipe.qdrant;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.grpc.Status;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The adapter under faults the stand-in injects over real gRPC: refused calls, slow calls,
 * connections cut in the middle of a batch. After the retries the collection holds exactly the
 * points written, no more, no fewer.
 */
class QdrantFaultTest {

  private static final int DIMENSION = 16;

  private final QdrantStandIn qdrant = QdrantStandIn.start();
  private final Random random = new Random(11);

  @AfterEach
  void stop() {
    qdrant.close();
  }

  private QdrantSettings settings(String collection) {
    return QdrantSettings.of(qdrant.host(), qdrant.port(), collection)
        .withBatching(64, 3)
        .withRetries(6, Duration.ofMillis(20), Duration.ofMillis(200));
  }

  private List<DocumentWrite> documents(String prefix, String version, int count, int chunks) {
    List<DocumentWrite> documents = new ArrayList<>();
    for (int d = 0; d < count; d++) {
      documents.add(
          document(prefix + d, version, Map.of(), randomUnitVectors(random, chunks, DIMENSION)));
    }
    return documents;
  }

  /** The collection holds exactly these documents' points, with their hashes. */
  private void assertHoldsExactly(String collection, List<DocumentWrite> documents) {
    Map<String, String> expected = new HashMap<>();
    for (DocumentWrite d : documents) {
      for (Point p : d.points()) {
        expected.put(p.id().toString(), d.documentHash().hex());
      }
    }
    Map<String, Map<String, Value>> stored = qdrant.points(collection);
    assertThat(stored.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
    stored.forEach(
        (id, payload) ->
            assertThat(payload.get("doc_hash").getStringValue()).isEqualTo(expected.get(id)));
  }

  @Test
  void unavailableForTheFirstCalls_isRetriedAndEveryPointLands() {
    try (VectorStore store = QdrantVectorStores.connect(settings("flaky"), DIMENSION)) {
      List<DocumentWrite> documents = documents("flaky-", "v1", 30, 9);
      qdrant.failNextCalls(4, Status.Code.UNAVAILABLE);

      store.write(documents);

      assertHoldsExactly("flaky", documents);
      assertThat(store.count()).isEqualTo(270);
    }
  }

  @Test
  void unavailableDuringBootstrap_isRetried() {
    qdrant.failNextCalls(3, Status.Code.UNAVAILABLE);

    try (VectorStore store = QdrantVectorStores.connect(settings("late"), DIMENSION)) {
      assertThat(store.count()).isZero();
    }
    assertThat(qdrant.hasCollection("late")).isTrue();
  }

  @Test
  void slowCalls_hitTheDeadline_andAreRetried() {
    QdrantSettings impatient = settings("slow").withTimeout(Duration.ofMillis(300));
    try (VectorStore store = QdrantVectorStores.connect(impatient, DIMENSION)) {
      List<DocumentWrite> documents = documents("slow-", "v1", 4, 3);
      qdrant.delayNextCalls(2, Duration.ofMillis(1500));

      store.write(documents);

      assertHoldsExactly("slow", documents);
    }
  }

  @Test
  void connectionDroppedMidBatch_isRetried_andTheCollectionHoldsExactlyThePoints() {
    try (VectorStore store = QdrantVectorStores.connect(settings("dropped"), DIMENSION)) {
      List<DocumentWrite> old = documents("drop-", "v1", 40, 12);
      store.write(old);
      List<DocumentWrite> rewritten = documents("drop-", "v2", 40, 5);
      qdrant.dropConnectionsDuringUpsert(2);

      store.write(rewritten);

      assertThat(qdrant.connectionDrops()).isEqualTo(1);
      assertHoldsExactly("dropped", rewritten);
      assertThat(store.count()).isEqualTo(200);
    }
  }

  @Test
  void persistentFailure_failsRetriably_andKeepsTheOldHashSoARetryRewrites() {
    try (VectorStore store =
        QdrantVectorStores.connect(
            settings("partial").withRetries(1, Duration.ZERO, Duration.ZERO), DIMENSION)) {
      List<DocumentWrite> v1 = documents("part-", "v1", 1, 200);
      store.write(v1);
      List<DocumentWrite> v2 = documents("part-", "v2", 1, 150);
      // 149 later chunks in three batches and the stale-chunk delete pass; the first chunk fails.
      qdrant.failCallsAfter(4, 1, Status.Code.UNAVAILABLE);

      assertThatThrownBy(() -> store.write(v2))
          .isInstanceOfSatisfying(
              VectorStoreException.class, e -> assertThat(e.retriable()).isTrue());

      assertThat(store.storedHashes(List.of(DocumentId.of("part-0"))))
          .as("the stored hash still says v1, so the document is not taken as unchanged")
          .containsEntry(DocumentId.of("part-0"), v1.getFirst().documentHash());
      store.write(v2);
      assertHoldsExactly("partial", v2);
    }
  }

  @Test
  void tooManyFailures_endInARetriableError_namingTheStatus() {
    try (VectorStore store =
        QdrantVectorStores.connect(
            settings("down").withRetries(3, Duration.ofMillis(5), Duration.ofMillis(10)),
            DIMENSION)) {
      qdrant.failNextCalls(3, Status.Code.UNAVAILABLE);

      assertThatThrownBy(store::count)
          .isInstanceOfSatisfying(
              VectorStoreException.class, e -> assertThat(e.retriable()).isTrue())
          .hasMessageContaining("UNAVAILABLE")
          .hasMessageContaining("after 3 attempts");
      assertThat(store.count()).isZero();
    }
  }

  @Test
  void invalidArgument_isNotRetried() {
    try (VectorStore store = QdrantVectorStores.connect(settings("strict"), DIMENSION)) {
      long counts = qdrant.calls("qdrant.Points/Count");
      qdrant.failNextCalls(1, Status.Code.INVALID_ARGUMENT);

      assertThatThrownBy(store::count)
          .isInstanceOfSatisfying(
              VectorStoreException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("INVALID_ARGUMENT");
      assertThat(qdrant.calls("qdrant.Points/Count")).isEqualTo(counts + 1);
    }
  }
}
