package io.docpipe.lambda;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.port.in.IngestRequest;
import java.util.Objects;

/** One thing an event asks for: a document to ingest or a document to delete. */
sealed interface WorkItem permits WorkItem.Ingest, WorkItem.Delete {

  DocumentId documentId();

  record Ingest(IngestRequest request) implements WorkItem {
    public Ingest {
      Objects.requireNonNull(request, "request");
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
