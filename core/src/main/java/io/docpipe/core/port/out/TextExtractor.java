package io.docpipe.core.port.out;

import io.docpipe.core.model.Document;

/** Outgoing port for turning a document's bytes of some media types into plain text. */
public interface TextExtractor {

  /** Whether this extractor handles {@code mediaType} (an essence such as {@code text/html}). */
  boolean supports(String mediaType);

  /**
   * The document's text. Fails with {@code BINARY}, {@code INVALID_ENCODING} or {@code
   * EXTRACTION_FAILED} rather than returning garbage; {@link StrictText} helps with both checks.
   */
  String extract(Document document) throws ExtractionException;

  /**
   * The document's text, or {@code TOO_LARGE} once it passes {@code maxChars}. Extractors that can
   * stop early override this, so that a huge text is never held whole; the default extracts
   * everything and leaves the check to the caller.
   */
  default String extract(Document document, int maxChars) throws ExtractionException {
    return extract(document);
  }
}
