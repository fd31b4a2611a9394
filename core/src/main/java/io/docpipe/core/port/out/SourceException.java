package io.docpipe.core.port.out;

import io.docpipe.core.model.FailureReason;
import java.util.Objects;

/** A document could not be fetched; {@link #reason()} decides whether a retry can help. */
public final class SourceException extends Exception {

  private final FailureReason reason;

  public SourceException(FailureReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public SourceException(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public FailureReason reason() {
    return reason;
  }
}
