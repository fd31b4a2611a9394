package io.docpipe.fargate;

import java.time.Duration;

/**
 * Counts work in progress (requests being served, work that outlived its request's timeout) so a
 * drain can wait until there is none.
 */
final class Activity {

  private int active;
  private long idleSinceNanos = System.nanoTime();

  synchronized void enter() {
    active++;
  }

  synchronized void exit() {
    active--;
    if (active == 0) {
      idleSinceNanos = System.nanoTime();
      notifyAll();
    }
  }

  synchronized int active() {
    return active;
  }

  /**
   * Waits until nothing has been active for {@code quiet}, or until {@code deadlineNanos}.
   *
   * @return whether it became idle in time
   */
  synchronized boolean awaitIdle(Duration quiet, long deadlineNanos) throws InterruptedException {
    while (true) {
      long now = System.nanoTime();
      if (active == 0 && now - idleSinceNanos >= quiet.toNanos()) {
        return true;
      }
      long left = deadlineNanos - now;
      if (left <= 0) {
        return false;
      }
      long wait = active == 0 ? Math.min(left, quiet.toNanos() - (now - idleSinceNanos)) : left;
      wait(Math.max(1, wait / 1_000_000));
    }
  }
}
