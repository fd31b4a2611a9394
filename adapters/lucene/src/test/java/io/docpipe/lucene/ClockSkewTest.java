package io.docpipe.lucene;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.WriteStamps;
import java.nio.file.Path;
import java.text.MessageFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A version stamped by a clock far ahead keeps newer reads out until the clock passes it (ADR
 * 0027): the store keeps the stamped rule, and says so loudly instead of skipping in silence.
 */
class ClockSkewTest {

  @TempDir Path temp;

  @Test
  void aReadFromAClockAnHourBehind_isRefused_withAWarningThatNamesTheDocument() {
    Instant now = Instant.parse("2026-12-06T23:00:00Z");
    long ahead = stampAt(now.plus(Duration.ofHours(1)));
    long behind = stampAt(now);
    Random random = new Random(11);
    try (Warnings warnings = new Warnings();
        VectorStore store = LuceneVectorStores.open(temp.resolve("index"), 8)) {
      DocumentWrite first = restamped(document("doc", randomUnitVectors(random, 2, 8)), ahead);
      DocumentWrite later = restamped(document("doc", randomUnitVectors(random, 3, 8)), behind);

      store.write(List.of(first));
      store.write(List.of(later));

      assertThat(store.count()).isEqualTo(2);
      assertThat(warnings.messages())
          .singleElement()
          .asString()
          .contains("doc")
          .contains("3600 s later")
          .contains("clock");
    }
  }

  @Test
  void twoReadsMillisecondsApart_areAnOrdinaryRace_andNotWarnedAbout() {
    Instant now = Instant.parse("2026-12-06T23:00:00Z");
    Random random = new Random(12);
    try (Warnings warnings = new Warnings();
        VectorStore store = LuceneVectorStores.open(temp.resolve("race"), 8)) {
      DocumentWrite newer =
          restamped(document("doc", randomUnitVectors(random, 2, 8)), stampAt(now.plusMillis(5)));
      DocumentWrite older =
          restamped(document("doc", randomUnitVectors(random, 3, 8)), stampAt(now));
      store.write(List.of(newer));
      store.write(List.of(older));

      assertThat(store.count()).isEqualTo(2);
      assertThat(warnings.messages()).isEmpty();
    }
  }

  /** The store's warnings, formatted, while open. */
  private static final class Warnings extends Handler implements AutoCloseable {
    private final Logger logger = Logger.getLogger(LuceneVectorStore.class.getName());
    private final List<String> messages = new CopyOnWriteArrayList<>();

    Warnings() {
      logger.addHandler(this);
    }

    List<String> messages() {
      return messages;
    }

    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        messages.add(MessageFormat.format(record.getMessage(), record.getParameters()));
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
      logger.removeHandler(this);
    }
  }

  private static long stampAt(Instant instant) {
    InstantSource clock = Clock.fixed(instant, ZoneOffset.UTC);
    return new WriteStamps(clock).next();
  }

  private static DocumentWrite restamped(DocumentWrite write, long stamp) {
    return new DocumentWrite(write.documentId(), write.documentHash(), write.points(), stamp);
  }
}
