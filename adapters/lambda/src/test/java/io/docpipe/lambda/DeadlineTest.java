package io.docpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The safety margin follows the invocation's time: a short timeout still gets work done. */
class DeadlineTest {

  @Test
  void lambdasDefaultThreeSecondTimeout_leavesThreeQuartersForWork() {
    assertThat(Deadline.marginFor(Duration.ofSeconds(3))).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void longInvocations_keepTenSeconds_forOneModelCallAndTheWrite() {
    assertThat(Deadline.marginFor(Duration.ofMinutes(15))).isEqualTo(Duration.ofSeconds(10));
    assertThat(Deadline.marginFor(Duration.ofSeconds(40))).isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void veryShortInvocations_keepHalfASecond_toAnswerInTime() {
    assertThat(Deadline.marginFor(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(500));
    assertThat(Deadline.marginFor(Duration.ZERO)).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void theMarginIsAQuarterRoundedAsDurationDividedByRoundsIt() {
    for (Duration timeLeft :
        new Duration[] {
          Duration.ofNanos(2_000_000_003L),
          Duration.ofMillis(2_001),
          Duration.ofNanos(39_999_999_999L),
          Duration.ofMillis(-1_000),
          Duration.ofDays(365 * 1000)
        }) {
      Duration quarter = timeLeft.dividedBy(4);
      Duration expected =
          quarter.compareTo(Deadline.MIN_MARGIN) < 0
              ? Deadline.MIN_MARGIN
              : quarter.compareTo(Deadline.DEFAULT_MARGIN) > 0 ? Deadline.DEFAULT_MARGIN : quarter;
      assertThat(Deadline.marginFor(timeLeft)).as(timeLeft.toString()).isEqualTo(expected);
    }
    assertThat(Deadline.marginFor(Duration.ofMillis(2_001)))
        .isEqualTo(Duration.ofNanos(500_250_000));
  }
}
