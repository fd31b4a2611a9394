package io.docpipe.fargate;

import java.util.Optional;
import javax.inject.Inject;
import javax.inject.Singleton;

/**
 * The server-wide bound on work: at most {@code maxConcurrentRequests} API requests and {@code
 * maxInFlightBytes} request body bytes at once. A request that would pass either bound is refused
 * (503) before its body is read, so a burst of large bodies cannot fill the heap. A request's
 * {@link Ticket} is held until its work really ends: work that outlived its request's 408 still
 * counts, so timed-out work cannot pile up beyond the bound.
 */
@Singleton
final class Admission {

  private final int maxRequests;
  private final long maxBytes;
  private int requests;
  private long bytes;

  @Inject
  Admission(FargateSettings settings) {
    this(settings.maxConcurrentRequests(), settings.maxInFlightBytes());
  }

  Admission(int maxRequests, long maxBytes) {
    this.maxRequests = maxRequests;
    this.maxBytes = maxBytes;
  }

  /** A ticket for {@code bodyBytes} more, or empty when that would pass a bound. */
  synchronized Optional<Ticket> tryAdmit(long bodyBytes) {
    if (requests >= maxRequests || bytes + bodyBytes > maxBytes) {
      return Optional.empty();
    }
    requests++;
    bytes += bodyBytes;
    return Optional.of(new Ticket(bodyBytes));
  }

  synchronized int requests() {
    return requests;
  }

  synchronized long bytes() {
    return bytes;
  }

  /** Why a request was refused, for its 503. */
  String refusal() {
    return "the service is at its bound of "
        + maxRequests
        + " requests or "
        + maxBytes
        + " request bytes in flight; retry shortly";
  }

  private synchronized void release(long bodyBytes) {
    requests--;
    bytes -= bodyBytes;
  }

  /**
   * One admitted request. Whoever carries its work further (a timed worker) retains it; the bound
   * is released when the last holder closes it.
   */
  final class Ticket implements AutoCloseable {
    private final long bodyBytes;
    private int holders = 1;

    private Ticket(long bodyBytes) {
      this.bodyBytes = bodyBytes;
    }

    synchronized void retain() {
      if (holders == 0) {
        throw new IllegalStateException("ticket already released");
      }
      holders++;
    }

    @Override
    public void close() {
      boolean last;
      synchronized (this) {
        if (holders == 0) {
          return;
        }
        last = --holders == 0;
      }
      if (last) {
        release(bodyBytes);
      }
    }
  }
}
