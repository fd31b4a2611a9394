package io.docpipe.qdrant;

import com.google.common.util.concurrent.ListenableFuture;
import io.docpipe.core.port.out.VectorStoreException;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Runs one Qdrant call with retries: UNAVAILABLE (connection refused or dropped) and
 * DEADLINE_EXCEEDED are tried again after an exponential, jittered, bounded pause; every other
 * status fails at once. Failures surface as {@link VectorStoreException}s that say whether a later
 * retry can help.
 */
final class Calls {

  private static final System.Logger LOG = System.getLogger(Calls.class.getName());

  private final String target;
  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;

  Calls(String target, int maxAttempts, Duration initialBackoff, Duration maxBackoff) {
    this.target = target;
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
  }

  /** Every request this store sends is idempotent, so a call that may have landed is resent. */
  <T> T call(String what, Supplier<ListenableFuture<T>> rpc) {
    return call(what, maxAttempts, rpc);
  }

  <T> T call(String what, int attempts, Supplier<ListenableFuture<T>> rpc) {
    for (int attempt = 1; ; attempt++) {
      Status status;
      Throwable cause;
      try {
        return rpc.get().get();
      } catch (ExecutionException e) {
        cause = e.getCause() == null ? e : e.getCause();
        status = Status.fromThrowable(cause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VectorStoreException(what + " on " + target + " was interrupted", true, e);
      }
      boolean transientFailure = retriable(status.getCode()) || brokenConnection(status, cause);
      if (!transientFailure || attempt >= attempts) {
        throw new VectorStoreException(
            what
                + " on "
                + target
                + " failed"
                + (attempt > 1 ? " after " + attempt + " attempts" : "")
                + ": "
                + status.getCode()
                + (status.getDescription() == null ? "" : " " + status.getDescription()),
            transientFailure,
            cause);
      }
      Duration pause = backoff(attempt);
      LOG.log(
          System.Logger.Level.WARNING,
          "{0} on {1}: {2}; attempt {3} of {4} in {5} ms",
          what,
          target,
          status.getCode(),
          attempt + 1,
          attempts,
          pause.toMillis());
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VectorStoreException(what + " on " + target + " was interrupted", true, e);
      }
    }
  }

  static boolean retriable(Status.Code code) {
    return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
  }

  /**
   * A connection that broke under a call can surface as UNKNOWN or INTERNAL ("channel closed")
   * rather than UNAVAILABLE, depending on where the transport noticed. Every call this adapter
   * makes is idempotent (upserts by id, deletes by id or filter, reads), so such a call is retried
   * like UNAVAILABLE.
   */
  static boolean brokenConnection(Status status, Throwable failure) {
    if (status.getCode() != Status.Code.UNKNOWN && status.getCode() != Status.Code.INTERNAL) {
      return false;
    }
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        return true;
      }
    }
    return false;
  }

  /** The status code behind a failed call, or {@code UNKNOWN}. */
  static Status.Code code(VectorStoreException e) {
    return e.getCause() == null
        ? Status.Code.UNKNOWN
        : Status.fromThrowable(e.getCause()).getCode();
  }

  /** initial × 2^(attempt-1), capped, then between half and all of it. */
  Duration backoff(int attempt) {
    long initial = initialBackoff.toNanos();
    long cap = maxBackoff.toNanos();
    long exponential = initial;
    for (int i = 1; i < attempt && exponential < cap; i++) {
      exponential = exponential > cap / 2 ? cap : exponential * 2;
    }
    exponential = Math.min(exponential, cap);
    if (exponential <= 0) {
      return Duration.ZERO;
    }
    long half = exponential / 2;
    return Duration.ofNanos(half + ThreadLocalRandom.current().nextLong(exponential - half + 1));
  }
}
