package io.docpipe.files;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import org.jsoup.Jsoup;

/**
 * HTML through jsoup: decoded by {@link HtmlCharsets}, then rendered by {@link HtmlText} as the
 * title followed by the body's text, one paragraph per block.
 */
final class HtmlExtractor implements TextExtractor {

  @Override
  public boolean supports(String mediaType) {
    String essence = MediaTypes.essence(mediaType);
    return MediaTypes.HTML.equals(essence) || "application/xhtml+xml".equals(essence);
  }

  @Override
  public String extract(Document document) throws ExtractionException {
    String html = HtmlCharsets.decode(document.content().toByteArray());
    return HtmlText.render(Jsoup.parse(html));
  }

  @Override
  public String toString() {
    return "HtmlExtractor";
  }
}
