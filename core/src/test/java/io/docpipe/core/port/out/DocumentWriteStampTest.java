package io.docpipe.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.PointPayload;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Write stamps order the reads of one process and stay exact in Qdrant's double comparisons. */
class DocumentWriteStampTest {

  @Test
  void stampsTakenOneAfterAnother_alwaysIncrease_evenWithinOneMillisecond() {
    long last = DocumentWrite.stampNow();
    for (int i = 0; i < 100_000; i++) {
      long next = DocumentWrite.stampNow();
      assertThat(next).isGreaterThan(last);
      last = next;
    }
    assertThat(last).isLessThanOrEqualTo(DocumentWrite.MAX_STAMP);
    assertThat((double) last).isEqualTo((double) (last - 1) + 1); // exact as a double
  }

  @Test
  void stampNow_followsTheWallClock() {
    long before = System.currentTimeMillis();
    long stamp = DocumentWrite.stampNow();
    long after = System.currentTimeMillis();
    // Above the clock only when this process took more stamps than 2,048 a millisecond before.
    assertThat(stamp >> 11).isBetween(before, after + 1_000);
  }

  @Test
  void aStampOutsideOneTo2Pow53_isRefused() {
    DocumentId id = DocumentId.of("a.md");
    ContentHash hash = ContentHash.of("a");
    PointPayload payload = new PointPayload(id, hash, 0, "text", 0, 4, "test:///a.md", Map.of());
    List<Point> points = List.of(new Point(payload.pointId(), new float[] {1, 0}, payload));

    assertThat(new DocumentWrite(id, hash, points, 1).stamp()).isEqualTo(1);
    assertThat(new DocumentWrite(id, hash, points, DocumentWrite.MAX_STAMP).stamp())
        .isEqualTo(DocumentWrite.MAX_STAMP);
    assertThatThrownBy(() -> new DocumentWrite(id, hash, points, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new DocumentWrite(id, hash, points, DocumentWrite.MAX_STAMP + 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stamp");
  }
}
