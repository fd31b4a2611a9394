package io.docpipe.core.model;

import java.util.Objects;

/** What happened to one document in a batch; a bad document is an outcome, never an exception. */
public sealed interface DocumentOutcome
    permits DocumentOutcome.Indexed,
        DocumentOutcome.Unchanged,
        DocumentOutcome.Deleted,
        DocumentOutcome.Failed {

  DocumentId documentId();

  /** Embedded and written: the document now stands in the index as {@code chunks} points. */
  record Indexed(DocumentId documentId, int chunks) implements DocumentOutcome {
    public Indexed {
      Objects.requireNonNull(documentId, "documentId");
    }
  }

  /** Same content and pipeline as what is stored: nothing was embedded or written. */
  record Unchanged(DocumentId documentId) implements DocumentOutcome {
    public Unchanged {
      Objects.requireNonNull(documentId, "documentId");
    }
  }

  /** Removed from the index; {@code existed} is false when there was nothing to remove. */
  record Deleted(DocumentId documentId, boolean existed) implements DocumentOutcome {
    public Deleted {
      Objects.requireNonNull(documentId, "documentId");
    }
  }

  /** Not processed, for {@code reason}; {@code detail} says what exactly, for a person. */
  record Failed(DocumentId documentId, FailureReason reason, String detail)
      implements DocumentOutcome {
    public Failed {
      Objects.requireNonNull(documentId, "documentId");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
