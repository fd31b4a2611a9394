package io.docpipe.core.fakes;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.WriteStamps;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store keeps the contract's "newest wins" rule (testkit's {@code
 * VectorStoreContract} cannot run here: the testkit depends on the core), so the core's service
 * tests see what the real stores do when an older version arrives after a newer one.
 */
class InMemoryVectorStoreTest {

  private static final DocumentId ID = DocumentId.of("doc");

  private final WriteStamps stamps = new WriteStamps(InstantSource.system());

  @Test
  void olderWrite_arrivingAfterANewerOne_changesNothing_andANewerOneStillReplaces() {
    InMemoryVectorStore store = new InMemoryVectorStore(2);
    long older = stamps.next();
    long newer = stamps.next();
    long newest = stamps.next();

    store.write(List.of(version("v2", 2, newer)));
    store.write(List.of(version("v1", 4, older), otherDocument()));

    assertThat(store.storedHashes(List.of(ID, DocumentId.of("other"))))
        .containsOnly(
            Map.entry(ID, ContentHash.of("v2")), Map.entry(DocumentId.of("other"), hashOther()));
    assertThat(store.count()).isEqualTo(3);

    store.write(List.of(version("v3", 1, newest)));
    assertThat(store.storedHashes(List.of(ID))).containsOnly(Map.entry(ID, ContentHash.of("v3")));
    assertThat(store.count()).isEqualTo(2);
  }

  @Test
  void afterADelete_anOlderStampedWriteLandsAgain() {
    InMemoryVectorStore store = new InMemoryVectorStore(2);
    long older = stamps.next();
    store.write(List.of(version("v2", 2, stamps.next())));

    store.delete(ID);
    store.write(List.of(version("v1", 1, older)));

    assertThat(store.storedHashes(List.of(ID))).containsOnly(Map.entry(ID, ContentHash.of("v1")));
  }

  private static DocumentWrite version(String label, int chunks, long stamp) {
    ContentHash hash = ContentHash.of(label);
    List<Point> points = new ArrayList<>();
    for (int i = 0; i < chunks; i++) {
      PointPayload payload =
          new PointPayload(ID, hash, i, label + " " + i, 0, 4, "test:///doc", Map.of());
      points.add(new Point(payload.pointId(), new float[] {1, i}, payload));
    }
    return new DocumentWrite(ID, hash, points, stamp);
  }

  private static ContentHash hashOther() {
    return ContentHash.of("other");
  }

  private DocumentWrite otherDocument() {
    DocumentId other = DocumentId.of("other");
    PointPayload payload =
        new PointPayload(other, hashOther(), 0, "other", 0, 5, "test:///other", Map.of());
    return new DocumentWrite(
        other,
        hashOther(),
        List.of(new Point(payload.pointId(), new float[] {0, 1}, payload)),
        stamps.next());
  }
}
