package io.docpipe.core.port.in;

/**
 * Use case: index documents so they can be searched. Idempotent: an unchanged document is reported
 * {@code unchanged} and not embedded again; a changed one replaces its chunks.
 */
public interface IngestDocuments {

  /** One outcome per document; a bad document fails alone and never throws. */
  IngestReport ingest(IngestCommand command);
}
