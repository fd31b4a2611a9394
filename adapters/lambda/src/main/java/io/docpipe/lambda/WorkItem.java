package io.docpipe.lambda;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.port.in.IngestRequest;
import java.util.Objects;

/** One thing an event asks for: a document to ingest or a document to delete. */
sealed interface WorkItem permits WorkItem.Ingest, WorkItem.Delete {

  DocumentId documentId();

  /**
   * Ingest the document as the source has it now. With {@code goneMeansDeleted} (an S3 removal
   * event, ADR 0017) a source that no longer has it is the expected answer: the document is then
   * deleted, and an object that exists again (a later PUT) is indexed instead of being removed.
   */
  record Ingest(IngestRequest request, boolean goneMeansDeleted) implements WorkItem {
    public Ingest {
      Objects.requireNonNull(request, "request");
    }

    Ingest(IngestRequest request) {
      this(request, false);
    }

    @Override
    public DocumentId documentId() {
      return request.documentId();
    }
  }

  record Delete(DocumentId documentId) implements WorkItem {
    public Delete {
      Objects.requireNonNull(documentId, "documentId");
    }
  }
}
