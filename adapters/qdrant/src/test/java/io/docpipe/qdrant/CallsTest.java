package io.docpipe.qdrant;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry policy's pauses and which statuses it retries. */
class CallsTest {

  @Test
  void backoff_doublesFromTheInitialPause_staysWithinTheCap_andKeepsAtLeastHalf() {
    Calls calls = new Calls("test", 20, Duration.ofMillis(100), Duration.ofSeconds(5));
    for (int attempt = 1; attempt <= 20; attempt++) {
      long full = Math.min(5_000, 100L << Math.min(attempt - 1, 20));
      for (int sample = 0; sample < 200; sample++) {
        long millis = calls.backoff(attempt).toMillis();
        assertThat(millis).as("attempt %d", attempt).isBetween(full / 2, full);
      }
    }
  }

  @Test
  void zeroBackoff_retriesAtOnce() {
    Calls calls = new Calls("test", 3, Duration.ZERO, Duration.ZERO);
    assertThat(calls.backoff(1)).isZero();
    assertThat(calls.backoff(3)).isZero();
  }

  @Test
  void onlyUnavailableAndDeadlineExceeded_areRetried() {
    for (Status.Code code : Status.Code.values()) {
      assertThat(Calls.retriable(code))
          .as(code.name())
          .isEqualTo(code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED);
    }
  }

  @Test
  void aBrokenConnection_reportedAsUnknown_isRetried_butAServerSideUnknownIsNot() {
    Throwable closed =
        Status.UNKNOWN
            .withDescription("channel closed")
            .withCause(new java.nio.channels.ClosedChannelException())
            .asRuntimeException();
    assertThat(Calls.brokenConnection(Status.fromThrowable(closed), closed)).isTrue();

    Throwable serverBug = Status.INTERNAL.withDescription("panic").asRuntimeException();
    assertThat(Calls.brokenConnection(Status.fromThrowable(serverBug), serverBug)).isFalse();

    Throwable invalid =
        Status.INVALID_ARGUMENT.withCause(new java.io.IOException("x")).asRuntimeException();
    assertThat(Calls.brokenConnection(Status.fromThrowable(invalid), invalid)).isFalse();
  }
}
