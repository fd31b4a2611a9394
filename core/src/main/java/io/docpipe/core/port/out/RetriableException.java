package io.docpipe.core.port.out;

/**
 * A port's operation failed; {@link #retriable()} says whether the same call may succeed later (an
 * unreachable server, a rate limit) or never will (a wrong dimension, a refused request).
 */
public abstract class RetriableException extends RuntimeException {

  private final boolean retriable;

  protected RetriableException(
      String message, boolean retriable, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean retriable() {
    return retriable;
  }
}
