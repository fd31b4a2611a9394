package io.docpipe.core.port.in;

import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.FailureReason;
import java.util.List;

/** A report with one outcome per document, in the order the documents were given. */
public interface OutcomeReport {

  List<DocumentOutcome> outcomes();

  default long indexed() {
    return outcomes().stream().filter(o -> o instanceof DocumentOutcome.Indexed).count();
  }

  default long unchanged() {
    return outcomes().stream().filter(o -> o instanceof DocumentOutcome.Unchanged).count();
  }

  default long deleted() {
    return outcomes().stream().filter(o -> o instanceof DocumentOutcome.Deleted).count();
  }

  default List<DocumentOutcome.Failed> failures() {
    return outcomes().stream()
        .filter(o -> o instanceof DocumentOutcome.Failed)
        .map(o -> (DocumentOutcome.Failed) o)
        .toList();
  }

  /** Whether any failure could succeed when the same document is tried again later. */
  default boolean hasRetriableFailures() {
    return failures().stream()
        .map(DocumentOutcome.Failed::reason)
        .anyMatch(FailureReason::retriable);
  }
}
