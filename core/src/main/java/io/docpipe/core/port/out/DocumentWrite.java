package io.docpipe.core.port.out;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A whole document's new state: its points for chunk indexes {@code 0..points.size()-1}. Writing it
 * replaces every point the document had before, including stale chunks past the new count.
 *
 * <p>{@code stamp} says how new this version is: taken just before its source was read (see {@link
 * #stampNow()}). A store never lets a write of an older (or the same) stamp replace points of a
 * newer one, so two writers of one document, processes or threads, end with the newer version
 * whole, never a mix (ADR 0027).
 */
public record DocumentWrite(
    DocumentId documentId, ContentHash documentHash, List<Point> points, long stamp) {

  /** Stamps stay below 2^53: Qdrant compares numbers in filters as doubles. */
  public static final long MAX_STAMP = (1L << 53) - 1;

  private static final int TIEBREAK_BITS = 11;

  /**
   * The last stamp this process handed out: stamps taken one after another in one process always
   * increase, whatever the clock and the random bits do. Mutable and static on purpose: it is the
   * process's clock for stamps, shared by every store and service in it.
   */
  private static final AtomicLong LAST_STAMP = new AtomicLong();

  public DocumentWrite {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(documentHash, "documentHash");
    points = List.copyOf(points);
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          "a document write needs at least one point: " + documentId);
    }
    if (stamp < 1 || stamp > MAX_STAMP) {
      throw new IllegalArgumentException(
          "stamp of " + documentId + " must be in 1.." + MAX_STAMP + ": " + stamp);
    }
    for (int i = 0; i < points.size(); i++) {
      var payload = points.get(i).payload();
      if (!payload.documentId().equals(documentId)
          || payload.chunkIndex() != i
          || !payload.documentHash().equals(documentHash)) {
        throw new IllegalArgumentException(
            "point "
                + i
                + " of "
                + documentId
                + " must carry this document, its hash and chunk index "
                + i);
      }
    }
  }

  /** A write stamped now: for a document whose source is read at about this moment. */
  public DocumentWrite(DocumentId documentId, ContentHash documentHash, List<Point> points) {
    this(documentId, documentHash, points, stampNow());
  }

  /**
   * A write stamp for a read of a source starting now: the wall-clock millisecond, shifted left by
   * 11 bits, plus 11 random bits so that two processes reading in the same millisecond almost never
   * tie (1 in 2,048); within one process each stamp is above the one before. Below {@link
   * #MAX_STAMP} until the year 2109. Stamps of two processes order their reads as far as the
   * machines' clocks agree.
   */
  public static long stampNow() {
    long now =
        (System.currentTimeMillis() << TIEBREAK_BITS)
            | ThreadLocalRandom.current().nextInt(1 << TIEBREAK_BITS);
    return LAST_STAMP.accumulateAndGet(now, (last, candidate) -> Math.max(last + 1, candidate));
  }
}
