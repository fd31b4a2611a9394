package io.docpipe.core.port.out;

import io.docpipe.core.model.FailureReason;
import java.util.Objects;

/**
 * One document could not be read or understood; its {@link #reason()}, reported with the document,
 * decides whether a retry can help.
 */
public abstract class DocumentException extends Exception {

  private final FailureReason reason;

  protected DocumentException(
      FailureReason reason, String message, @org.jspecify.annotations.Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public FailureReason reason() {
    return reason;
  }
}
