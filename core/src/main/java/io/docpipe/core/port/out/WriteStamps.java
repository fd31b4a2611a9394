package io.docpipe.core.port.out;

import java.time.InstantSource;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The clock that write stamps ({@link DocumentWrite#stamp()}) are taken from: the wall-clock
 * millisecond of {@code clock} shifted left by 11 bits, plus 11 random bits so that two processes
 * reading in the same millisecond almost never tie (1 in 2,048), and always above the last stamp
 * this instance gave. The writers of one store in one process share one instance (a runtime's graph
 * holds it), so the stamps they take one after another always increase, whatever the clock and the
 * random bits do. Stamps of two processes order their reads as far as the machines' clocks agree.
 * Below {@link DocumentWrite#MAX_STAMP} until the year 2109.
 */
public final class WriteStamps {

  private static final int TIEBREAK_BITS = 11;

  private final InstantSource clock;

  /** The last stamp this instance handed out. */
  private final AtomicLong last = new AtomicLong();

  public WriteStamps(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The wall-clock millisecond (since the epoch) at which {@code stamp} was taken. */
  public static long epochMillisOf(long stamp) {
    return stamp >>> TIEBREAK_BITS;
  }

  /** A stamp for a read of a source starting now. */
  public long next() {
    long now =
        (clock.millis() << TIEBREAK_BITS) | ThreadLocalRandom.current().nextInt(1 << TIEBREAK_BITS);
    return last.accumulateAndGet(now, (before, candidate) -> Math.max(before + 1, candidate));
  }
}
