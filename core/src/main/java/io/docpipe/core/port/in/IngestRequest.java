package io.docpipe.core.port.in;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import java.util.Objects;

/** One document to ingest: either a reference to fetch, or a document already in memory. */
public sealed interface IngestRequest permits IngestRequest.Fetch, IngestRequest.Inline {

  DocumentId documentId();

  /**
   * Fetch the document through the configured source. With {@code recheckAfterWrite}, the source is
   * asked once more after the document is written, and a document gone by then is removed again:
   * for sources whose removals another process may apply while this one is still writing (S3 events
   * applied by concurrent Lambda invocations; ADR 0027).
   */
  record Fetch(DocumentRef ref, boolean recheckAfterWrite) implements IngestRequest {
    public Fetch {
      Objects.requireNonNull(ref, "ref");
    }

    /** Fetch without a recheck after the write. */
    public Fetch(DocumentRef ref) {
      this(ref, false);
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
