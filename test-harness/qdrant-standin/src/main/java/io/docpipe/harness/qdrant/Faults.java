package io.docpipe.harness.qdrant;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Counts calls, checks the API key, and injects the faults a test asked for: a status for the next
 * calls, a delay for the next calls.
 */
final class Faults implements ServerInterceptor {

  static final Metadata.Key<String> API_KEY =
      Metadata.Key.of("api-key", Metadata.ASCII_STRING_MARSHALLER);

  private volatile @Nullable String apiKey;
  private final Map<String, AtomicLong> calls = new ConcurrentHashMap<>();
  private final AtomicInteger passesBeforeFailures = new AtomicInteger();
  private final AtomicInteger failuresLeft = new AtomicInteger();
  private volatile Status.Code failWith = Status.Code.UNAVAILABLE;
  private final AtomicInteger delaysLeft = new AtomicInteger();
  private volatile Duration delay = Duration.ZERO;

  Faults(@Nullable String apiKey) {
    this.apiKey = apiKey;
  }

  void requireApiKey(@Nullable String key) {
    apiKey = key;
  }

  synchronized void failAfter(int passing, int count, Status.Code code) {
    failWith = code;
    passesBeforeFailures.set(passing);
    failuresLeft.set(count);
  }

  void delayNext(int count, Duration by) {
    delay = by;
    delaysLeft.set(count);
  }

  long calls(String fullMethodName) {
    AtomicLong n = calls.get(fullMethodName);
    return n == null ? 0 : n.get();
  }

  private synchronized boolean shouldFail() {
    if (failuresLeft.get() == 0) {
      return false;
    }
    if (passesBeforeFailures.get() > 0) {
      passesBeforeFailures.decrementAndGet();
      return false;
    }
    failuresLeft.decrementAndGet();
    return true;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    calls
        .computeIfAbsent(call.getMethodDescriptor().getFullMethodName(), k -> new AtomicLong())
        .incrementAndGet();
    String required = apiKey;
    if (required != null && !required.equals(headers.get(API_KEY))) {
      call.close(
          Status.UNAUTHENTICATED.withDescription("Invalid api-key (Qdrant stand-in)"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (shouldFail()) {
      call.close(
          Status.fromCode(failWith).withDescription("injected by the Qdrant stand-in"),
          new Metadata());
      return new ServerCall.Listener<>() {};
    }
    if (delaysLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      try {
        Thread.sleep(delay); // a slow server, not a wait for a condition
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return next.startCall(call, headers);
  }
}
