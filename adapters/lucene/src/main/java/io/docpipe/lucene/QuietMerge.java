package io.docpipe.lucene;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs a merge once writes have been quiet for a while: every write restarts the wait, so a bulk
 * load is merged once, after its last write, not after each. One daemon thread per store, started
 * by the first write and ended after a minute without one; closing the store never waits for a
 * merge (ADR 0036).
 */
final class QuietMerge implements AutoCloseable {

  private final long quietNanos;
  private final Runnable merge;
  private final ScheduledThreadPoolExecutor timer;

  private long lastWriteNanos;
  private boolean scheduled;

  QuietMerge(Duration quiet, String location, Runnable merge) {
    if (quiet.isNegative() || quiet.isZero()) {
      throw new IllegalArgumentException("quiet period must be positive: " + quiet);
    }
    this.quietNanos = quiet.toNanos();
    this.merge = merge;
    this.timer =
        new ScheduledThreadPoolExecutor(
            1,
            task -> {
              Thread thread = new Thread(task, "docpipe-lucene-merge " + location);
              thread.setDaemon(true);
              return thread;
            });
    timer.setKeepAliveTime(1, TimeUnit.MINUTES);
    timer.allowCoreThreadTimeOut(true);
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  /** Notes a write; the merge runs once none has come for the quiet period. */
  synchronized void wrote() {
    lastWriteNanos = System.nanoTime();
    if (!scheduled) {
      scheduled = schedule(quietNanos);
    }
  }

  private void check() {
    synchronized (this) {
      long waited = System.nanoTime() - lastWriteNanos;
      if (waited < quietNanos) {
        scheduled = schedule(quietNanos - waited);
        return;
      }
      scheduled = false;
    }
    merge.run();
  }

  private boolean schedule(long delayNanos) {
    try {
      timer.schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
      return true;
    } catch (RejectedExecutionException e) {
      return false; // closed: nothing more to merge
    }
  }

  /** Stops waiting; a merge that is running is not interrupted (the store aborts it). */
  @Override
  public void close() {
    timer.shutdown();
  }
}
