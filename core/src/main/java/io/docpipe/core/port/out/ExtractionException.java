package io.docpipe.core.port.out;

import io.docpipe.core.model.FailureReason;
import java.util.Objects;

/** A document's text could not be extracted (binary content, bad encoding, a broken file). */
public final class ExtractionException extends Exception {

  private final FailureReason reason;

  public ExtractionException(FailureReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public ExtractionException(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public FailureReason reason() {
    return reason;
  }
}
