package io.docpipe.core.port.out;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentRef;

/**
 * Outgoing port for fetching one document's bytes from where a {@link DocumentRef} points. Called
 * from several threads at once (concurrent ingestions, and the rechecks after a write).
 */
public interface DocumentSource {

  /**
   * Fetches the document, reading at most {@code maxBytes} bytes: a larger document fails with
   * {@link io.docpipe.core.model.FailureReason#TOO_LARGE} without being read whole. The returned
   * document keeps {@code ref}'s id and carries {@code ref}'s metadata plus what the source adds.
   *
   * @throws SourceException with {@code NOT_FOUND}, {@code TOO_LARGE}, {@code INVALID_INPUT} (e.g.
   *     a location this source refuses) or {@code SOURCE_UNAVAILABLE} (retriable)
   */
  Document fetch(DocumentRef ref, long maxBytes) throws SourceException;
}
