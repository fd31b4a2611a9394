package io.docpipe.openai;

import java.time.Duration;

/** Waits; replaced in tests by one that records the waits and advances a fake clock. */
@FunctionalInterface
interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** Really sleeps. */
  Sleeper SYSTEM =
      duration -> {
        if (duration.isPositive()) {
          Thread.sleep(duration);
        }
      };
}
