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
}
