package io.docpipe.core.service;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.in.DeleteCommand;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.DeleteReport;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Deletes documents one by one, so one store error fails only its own document. */
public final class DeleteDocumentsService implements DeleteDocuments {

  private final VectorStore store;
  private final IngestionListener listener;

  public DeleteDocumentsService(VectorStore store, IngestionListener listener) {
    this.store = Objects.requireNonNull(store, "store");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public DeleteReport delete(DeleteCommand command) {
    List<DocumentOutcome> outcomes = new ArrayList<>(command.documents().size());
    for (DocumentId id : command.documents()) {
      long start = System.nanoTime();
      DocumentOutcome outcome;
      try {
        outcome = new DocumentOutcome.Deleted(id, store.delete(id) > 0);
      } catch (VectorStoreException e) {
        outcome =
            new DocumentOutcome.Failed(
                id, FailureReason.STORE_FAILED, "deleting failed: " + e.getMessage());
      }
      outcomes.add(outcome);
      listener.documentFinished(outcome, Duration.ofNanos(System.nanoTime() - start));
    }
    return new DeleteReport(outcomes);
  }
}
