package io.docpipe.core.model;

import java.time.Clock;
import java.time.Instant;

/**
 * Asked between documents whether a run must stop taking new work (a Lambda deadline, SIGTERM). The
 * document in flight is always finished.
 */
@FunctionalInterface
public interface StopSignal {

  StopSignal NEVER = () -> false;

  boolean stopRequested();

  static StopSignal at(Instant deadline, Clock clock) {
    return () -> !clock.instant().isBefore(deadline);
  }

  default StopSignal or(StopSignal other) {
    return () -> stopRequested() || other.stopRequested();
  }
}
