package io.docpipe.files;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import io.docpipe.core.port.out.TextExtractor;

/**
 * Markdown: strict UTF-8 (or UTF-16/UTF-32 with a byte order mark), kept as written (headings and
 * lists are good chunk boundaries as they are), except for a leading YAML front-matter block, which
 * is dropped.
 */
final class MarkdownExtractor implements TextExtractor {

  @Override
  public boolean supports(String mediaType) {
    String essence = MediaTypes.essence(mediaType);
    return MediaTypes.MARKDOWN.equals(essence) || "text/x-markdown".equals(essence);
  }

  @Override
  public String extract(Document document) throws ExtractionException {
    return withoutFrontMatter(StrictText.decodeText(document.content()));
  }

  /** Stops decoding once the text passes {@code maxChars}, so a huge file is never held whole. */
  @Override
  public String extract(Document document, int maxChars) throws ExtractionException {
    return withoutFrontMatter(StrictText.decodeText(document.content(), maxChars));
  }

  /**
   * {@code text} without a front-matter block: a first line {@code ---} up to and including the
   * next line that is {@code ---} or {@code ...}. Without a closing line the text is kept whole.
   */
  static String withoutFrontMatter(String text) {
    int end = lineEnd(text, 0);
    if (!isLine(text, 0, end, "---")) {
      return text;
    }
    int start = nextLine(text, end);
    while (start < text.length()) {
      end = lineEnd(text, start);
      if (isLine(text, start, end, "---") || isLine(text, start, end, "...")) {
        return text.substring(nextLine(text, end));
      }
      start = nextLine(text, end);
    }
    return text;
  }

  private static int lineEnd(String text, int from) {
    int newline = text.indexOf('\n', from);
    return newline < 0 ? text.length() : newline;
  }

  private static int nextLine(String text, int lineEnd) {
    return Math.min(text.length(), lineEnd + 1);
  }

  /** Whether {@code text[start, end)} is {@code marker}, give or take trailing blanks and CR. */
  private static boolean isLine(String text, int start, int end, String marker) {
    return text.substring(start, end).stripTrailing().equals(marker);
  }

  @Override
  public String toString() {
    return "MarkdownExtractor";
  }
}
