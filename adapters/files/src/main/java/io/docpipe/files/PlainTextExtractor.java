package io.docpipe.files;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import io.docpipe.core.port.out.TextExtractor;

/** Plain text: strict UTF-8, or UTF-16/UTF-32 with a byte order mark, returned as it is. */
final class PlainTextExtractor implements TextExtractor {

  @Override
  public boolean supports(String mediaType) {
    return MediaTypes.TEXT_PLAIN.equals(MediaTypes.essence(mediaType));
  }

  @Override
  public String extract(Document document) throws ExtractionException {
    return StrictText.decodeText(document.content());
  }

  /** Stops decoding once the text passes {@code maxChars}, so a huge file is never held whole. */
  @Override
  public String extract(Document document, int maxChars) throws ExtractionException {
    return StrictText.decodeText(document.content(), maxChars);
  }

  @Override
  public String toString() {
    return "PlainTextExtractor";
  }
}
