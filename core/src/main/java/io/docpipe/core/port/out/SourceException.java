package io.docpipe.core.port.out;

import io.docpipe.core.model.FailureReason;

/** A document could not be fetched; {@link #reason()} decides whether a retry can help. */
public final class SourceException extends DocumentException {

  public SourceException(FailureReason reason, String message) {
    super(reason, message, null);
  }

  public SourceException(FailureReason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
