package io.docpipe.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.docpipe.core.model.StopSignal;
import java.time.Duration;

/**
 * Stop taking new documents once less than {@code margin} of the invocation is left, so that the
 * document in flight can finish and the handler can still answer before Lambda ends it.
 */
record Deadline(Context context, Duration margin) implements StopSignal {

  /** Enough for one embedding window of the in-process model and the answer. */
  static final Duration DEFAULT_MARGIN = Duration.ofSeconds(10);

  /** The time left from which a quarter is at least {@link #DEFAULT_MARGIN}. */
  private static final Duration FOUR_DEFAULT_MARGINS =
      Duration.ofNanos(4 * DEFAULT_MARGIN.toNanos());

  /** Below this, an answer itself may not make it back in time. */
  static final Duration MIN_MARGIN = Duration.ofMillis(500);

  /**
   * The deadline of an invocation that has just started: a margin of a quarter of its time, at
   * least {@link #MIN_MARGIN} and at most {@link #DEFAULT_MARGIN}. A fixed 10 s would start nothing
   * in a function whose timeout is shorter (Lambda's default is 3 s); a quarter leaves three
   * quarters for work.
   */
  static Deadline of(Context context) {
    return new Deadline(context, marginFor(Duration.ofMillis(context.getRemainingTimeInMillis())));
  }

  /** The margin for an invocation that has {@code timeLeft} when it starts. */
  static Duration marginFor(Duration timeLeft) {
    // In nanoseconds, not with Duration.dividedBy or multipliedBy: those compute with BigDecimal,
    // whose initialisation (and BigInteger's) the first invocation of a cold start would otherwise
    // pay for this one division. Rounded toward zero, as dividedBy rounds.
    if (timeLeft.compareTo(FOUR_DEFAULT_MARGINS) >= 0) {
      return DEFAULT_MARGIN;
    }
    Duration quarter = Duration.ofNanos(timeLeft.toNanos() / 4);
    if (quarter.compareTo(MIN_MARGIN) < 0) {
      return MIN_MARGIN;
    }
    return quarter.compareTo(DEFAULT_MARGIN) > 0 ? DEFAULT_MARGIN : quarter;
  }

  @Override
  public boolean stopRequested() {
    return context.getRemainingTimeInMillis() < margin.toMillis();
  }
}
