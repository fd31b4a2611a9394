package io.docpipe.openai;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Two token buckets, one for requests and one for tokens, each holding a minute's allowance and
 * refilling continuously. {@link #acquire(int)} waits until both buckets can pay; waiters are
 * served one at a time, in arrival order.
 */
final class RateLimiter {

  private static final double NANOS_PER_MINUTE = 60e9;

  private final Clock clock;
  private final Sleeper sleeper;
  private final double requestCapacity;
  private final double tokenCapacity;
  private final ReentrantLock lock = new ReentrantLock(true);
  private double requests;
  private double tokens;
  private long lastRefillNanos;

  RateLimiter(int requestsPerMinute, int tokensPerMinute, Clock clock, Sleeper sleeper) {
    this.clock = clock;
    this.sleeper = sleeper;
    this.requestCapacity = requestsPerMinute;
    this.tokenCapacity = tokensPerMinute;
    this.requests = requestsPerMinute;
    this.tokens = tokensPerMinute;
    this.lastRefillNanos = nanos();
  }

  /**
   * Takes one request and {@code cost} tokens, waiting as long as needed.
   *
   * @param cost at most the tokens-per-minute capacity
   */
  void acquire(int cost) throws InterruptedException {
    if (cost > tokenCapacity) {
      throw new IllegalArgumentException("cost above the per-minute capacity: " + cost);
    }
    lock.lockInterruptibly();
    try {
      // Each wait is computed to refill exactly what is missing, so this ends after one or two
      // rounds; the bound only guards against a clock that never moves.
      for (int round = 0; round < 1_000; round++) {
        refill();
        double missingRequests = Math.max(0, 1 - requests);
        double missingTokens = Math.max(0, cost - tokens);
        if (missingRequests == 0 && missingTokens == 0) {
          requests -= 1;
          tokens -= cost;
          return;
        }
        double waitNanos =
            Math.max(
                missingRequests * NANOS_PER_MINUTE / requestCapacity,
                missingTokens * NANOS_PER_MINUTE / tokenCapacity);
        sleeper.sleep(Duration.ofNanos((long) Math.ceil(waitNanos)));
      }
      throw new IllegalStateException("rate limiter: the clock does not advance");
    } finally {
      lock.unlock();
    }
  }

  private void refill() {
    long now = nanos();
    long elapsed = Math.max(0, now - lastRefillNanos);
    lastRefillNanos = now;
    requests = Math.min(requestCapacity, requests + elapsed * requestCapacity / NANOS_PER_MINUTE);
    tokens = Math.min(tokenCapacity, tokens + elapsed * tokenCapacity / NANOS_PER_MINUTE);
  }

  private long nanos() {
    var instant = clock.instant();
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
