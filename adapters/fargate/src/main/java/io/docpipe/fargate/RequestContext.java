package io.docpipe.fargate;

import org.jspecify.annotations.Nullable;

/**
 * The request (or job) id of the current thread, for the JSON log lines it writes. Helidon serves
 * each request on its own virtual thread, so a thread-local is exactly the request's scope.
 */
final class RequestContext {

  private static final ThreadLocal<@Nullable String> REQUEST_ID = new ThreadLocal<>();

  private RequestContext() {}

  static void set(String requestId) {
    REQUEST_ID.set(requestId);
  }

  static @Nullable String requestId() {
    return REQUEST_ID.get();
  }

  static void clear() {
    REQUEST_ID.remove();
  }
}
