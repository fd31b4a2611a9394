package io.docpipe.files;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import org.jsoup.Jsoup;

/**
 * HTML through jsoup: decoded by {@link HtmlCharsets}, then rendered by {@link HtmlText} as the
 * title followed by the body's text, one paragraph per block.
 *
 * <p>jsoup builds the whole page as a tree of about 17 bytes of heap per character of markup, so a
 * page is parsed only up to {@link #DEFAULT_MAX_HTML_CHARS} characters of HTML (ADR 0016); a larger
 * page fails {@code TOO_LARGE} before it is decoded or parsed.
 */
final class HtmlExtractor implements TextExtractor {

  /** About 70 MiB of jsoup tree; pages on the web are rarely a tenth of it. */
  static final int DEFAULT_MAX_HTML_CHARS = 4 * 1024 * 1024;

  /** The most bytes one character takes in any charset (UTF-32, or a UTF-8 surrogate pair). */
  private static final int MAX_BYTES_PER_CHAR = 4;

  private final int maxHtmlChars;

  HtmlExtractor() {
    this(DEFAULT_MAX_HTML_CHARS);
  }

  HtmlExtractor(int maxHtmlChars) {
    if (maxHtmlChars < 1) {
      throw new IllegalArgumentException("max HTML chars must be >= 1: " + maxHtmlChars);
    }
    this.maxHtmlChars = maxHtmlChars;
  }

  @Override
  public boolean supports(String mediaType) {
    String essence = MediaTypes.essence(mediaType);
    return MediaTypes.HTML.equals(essence) || "application/xhtml+xml".equals(essence);
  }

  @Override
  public String extract(Document document) throws ExtractionException {
    long size = document.content().size();
    // Every charset needs at least one byte a character, at most four: refuse the certain cases
    // before decoding anything.
    if (size > (long) maxHtmlChars * MAX_BYTES_PER_CHAR) {
      throw tooLarge(size + " bytes");
    }
    String html = HtmlCharsets.decode(document.content().toByteArray());
    if (html.length() > maxHtmlChars) {
      throw tooLarge(html.length() + " chars");
    }
    return HtmlText.render(Jsoup.parse(html));
  }

  private ExtractionException tooLarge(String what) {
    return new ExtractionException(
        FailureReason.TOO_LARGE,
        "HTML page is "
            + what
            + "; pages are parsed up to "
            + maxHtmlChars
            + " chars of HTML, as a whole tree");
  }

  @Override
  public String toString() {
    return "HtmlExtractor";
  }
}
