package io.docpipe.core.port.out;

import io.docpipe.core.model.FailureReason;

/** A document's text could not be extracted (binary content, bad encoding, a broken file). */
public final class ExtractionException extends DocumentException {

  public ExtractionException(FailureReason reason, String message) {
    super(reason, message, null);
  }

  public ExtractionException(FailureReason reason, String message, Throwable cause) {
    super(reason, message, cause);
  }
}
