package io.docpipe.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.PointPayload;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Write stamps follow the injected clock, order the reads of one instance's users even when that
 * clock stands still or goes back, and stay exact in Qdrant's double comparisons.
 */
class WriteStampsTest {

  /** 2026-12-06T00:00:00Z. */
  private static final long DAY = 1_796_515_200_000L;

  @Test
  void stampsTakenOneAfterAnother_alwaysIncrease_evenWithinOneMillisecond() {
    WriteStamps stamps = new WriteStamps(InstantSource.fixed(Instant.ofEpochMilli(DAY)));
    long last = stamps.next();
    for (int i = 0; i < 100_000; i++) {
      long next = stamps.next();
      assertThat(next).isGreaterThan(last);
      last = next;
    }
    assertThat(last).isLessThanOrEqualTo(DocumentWrite.MAX_STAMP);
    assertThat((double) last).isEqualTo((double) (last - 1) + 1); // exact as a double
  }

  @Test
  void stamps_followTheInjectedClock_inTheirHighBits() {
    AtomicLong millis = new AtomicLong(DAY);
    WriteStamps stamps = new WriteStamps(() -> Instant.ofEpochMilli(millis.get()));

    assertThat(stamps.next() >> 11).isEqualTo(DAY);
    millis.set(DAY + 60_000);
    assertThat(stamps.next() >> 11).isEqualTo(DAY + 60_000);
  }

  @Test
  void aClockThatGoesBack_stillGivesIncreasingStamps() {
    AtomicLong millis = new AtomicLong(DAY);
    WriteStamps stamps = new WriteStamps(() -> Instant.ofEpochMilli(millis.get()));
    long before = stamps.next();

    millis.set(DAY - 5_000); // an NTP step back
    long after = stamps.next();

    assertThat(after).isGreaterThan(before);
  }

  @Test
  void twoInstances_orderTheirStampsOnlyByTheClock() {
    // Why the graph holds one instance: a second one knows nothing of the first's stamps.
    WriteStamps first = new WriteStamps(InstantSource.fixed(Instant.ofEpochMilli(DAY)));
    long a = first.next();
    for (int i = 0; i < 3_000; i++) {
      first.next(); // past the millisecond's 2,048 values
    }
    WriteStamps second = new WriteStamps(InstantSource.fixed(Instant.ofEpochMilli(DAY)));

    assertThat(second.next()).isLessThan(first.next()).isGreaterThanOrEqualTo(DAY << 11);
    assertThat(a >> 11).isEqualTo(DAY);
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
