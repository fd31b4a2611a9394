package io.docpipe.core.port.in;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import java.util.Objects;

/** One document to ingest: either a reference to fetch, or a document already in memory. */
public sealed interface IngestRequest permits IngestRequest.Fetch, IngestRequest.Inline {

  DocumentId documentId();

  /** Fetch the document through the configured source. */
  record Fetch(DocumentRef ref) implements IngestRequest {
    public Fetch {
      Objects.requireNonNull(ref, "ref");
    }

    @Override
    public DocumentId documentId() {
      return ref.id();
    }
  }

  /** Use these bytes as they are (e.g. text posted to an API). */
  record Inline(Document document) implements IngestRequest {
    public Inline {
      Objects.requireNonNull(document, "document");
    }

    @Override
    public DocumentId documentId() {
      return document.id();
    }
  }
}
