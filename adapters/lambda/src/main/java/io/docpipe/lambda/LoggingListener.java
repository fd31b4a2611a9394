package io.docpipe.lambda;

import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.Printable;
import io.docpipe.core.port.out.IngestionListener;
import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Logs each document's outcome: failures as warnings (CloudWatch keeps them), the rest at debug.
 */
final class LoggingListener implements IngestionListener {

  private static final System.Logger LOG = System.getLogger(LoggingListener.class.getName());

  @Override
  public void documentFinished(DocumentOutcome outcome, Duration took) {
    if (outcome instanceof DocumentOutcome.Failed f) {
      LOG.log(
          Level.WARNING,
          "{0} failed ({1}, {2}): {3}",
          Printable.of(f.documentId()),
          f.reason(),
          f.reason().retriable() ? "retriable" : "permanent",
          Printable.of(f.detail()));
    } else {
      LOG.log(Level.DEBUG, "{0} in {1} ms", Printable.of(outcome), took.toMillis());
    }
  }
}
