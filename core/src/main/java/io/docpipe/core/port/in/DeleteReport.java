package io.docpipe.core.port.in;

import io.docpipe.core.model.DocumentOutcome;
import java.util.List;

/** One outcome per document asked to be deleted: {@code deleted} or {@code failed}. */
public record DeleteReport(List<DocumentOutcome> outcomes) implements OutcomeReport {
  public DeleteReport {
    outcomes = List.copyOf(outcomes);
  }
}
