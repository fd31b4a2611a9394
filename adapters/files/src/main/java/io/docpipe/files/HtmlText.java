package io.docpipe.files;

import java.util.Set;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The readable text of a parsed HTML page: the title, then the body with a blank line between
 * blocks (paragraphs, headings, sections, lists, tables) and a line break between lines (list
 * items, table rows, {@code <br>}), so the chunker can cut on them. Inside a block, white space
 * collapses to single spaces as a browser shows it, except in {@code <pre>}. Scripts, styles and
 * other non-text elements are dropped.
 */
final class HtmlText {

  /** Elements whose content is not text a reader sees. */
  static final String DROPPED =
      "script, style, noscript, template, svg, math, iframe, object, embed, canvas, frameset";

  private static final Set<String> PARAGRAPH_BLOCKS =
      Set.of(
          "html",
          "body",
          "p",
          "div",
          "h1",
          "h2",
          "h3",
          "h4",
          "h5",
          "h6",
          "section",
          "article",
          "aside",
          "header",
          "footer",
          "nav",
          "main",
          "blockquote",
          "pre",
          "ul",
          "ol",
          "dl",
          "menu",
          "table",
          "form",
          "fieldset",
          "figure",
          "hr",
          "address",
          "details",
          "hgroup",
          "center",
          "dialog",
          "search",
          "listing",
          "xmp",
          "plaintext");

  private static final Set<String> LINE_BLOCKS =
      Set.of(
          "li",
          "dt",
          "dd",
          "tr",
          "caption",
          "figcaption",
          "summary",
          "legend",
          "option",
          "optgroup",
          "thead",
          "tbody",
          "tfoot");

  private static final Set<String> CELLS = Set.of("td", "th");

  private static final Set<String> PREFORMATTED = Set.of("pre", "listing", "xmp", "plaintext");

  private HtmlText() {}

  static String render(org.jsoup.nodes.Document document) {
    document.select(DROPPED).remove();
    String title = document.title().strip();
    document.select("title").remove();
    Element body = document.body();
    Renderer renderer = new Renderer();
    NodeTraversor.traverse(renderer, body);
    String text = renderer.text().strip();
    // Most pages repeat their title as the first heading; say it once.
    String firstBlock = text.lines().findFirst().orElse("").strip();
    if (title.isEmpty() || firstBlock.equalsIgnoreCase(title)) {
      return text.isEmpty() ? title : text;
    }
    return text.isEmpty() ? title : title + "\n\n" + text;
  }

  /** Builds the text while jsoup walks the tree. */
  private static final class Renderer implements NodeVisitor {
    private static final int NO_BREAK = 0;
    private static final int LINE = 1;
    private static final int PARAGRAPH = 2;

    private final StringBuilder out = new StringBuilder();
    private int pendingBreak = NO_BREAK;
    private boolean pendingSpace;
    private int preformatted;

    String text() {
      return out.toString();
    }

    @Override
    public void head(Node node, int depth) {
      if (node instanceof TextNode text) {
        if (preformatted > 0) {
          appendPreformatted(text.getWholeText());
        } else {
          appendCollapsed(text.getWholeText());
        }
      } else if (node instanceof Element element) {
        String name = element.normalName();
        if (name.equals("br")) {
          pendingBreak = pendingBreak >= LINE ? PARAGRAPH : LINE;
        } else {
          boundary(name);
        }
        if (PREFORMATTED.contains(name)) {
          preformatted++;
        }
      }
    }

    @Override
    public void tail(Node node, int depth) {
      if (node instanceof Element element) {
        String name = element.normalName();
        boundary(name);
        if (PREFORMATTED.contains(name)) {
          preformatted--;
        }
      }
    }

    private void boundary(String name) {
      if (PARAGRAPH_BLOCKS.contains(name)) {
        pendingBreak = PARAGRAPH;
      } else if (LINE_BLOCKS.contains(name)) {
        pendingBreak = Math.max(pendingBreak, LINE);
      } else if (CELLS.contains(name)) {
        pendingSpace = true;
      }
    }

    private void appendCollapsed(String text) {
      for (int i = 0; i < text.length(); ) {
        int c = text.codePointAt(i);
        i += Character.charCount(c);
        if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
          pendingSpace = true;
        } else {
          emit(c);
        }
      }
    }

    private void appendPreformatted(String text) {
      int newlines = 0;
      for (int i = 0; i < text.length(); ) {
        int c = text.codePointAt(i);
        i += Character.charCount(c);
        if (c == '\r') {
          continue;
        }
        if (c == '\n') {
          newlines++;
          continue;
        }
        if (newlines > 0) {
          pendingBreak = Math.max(pendingBreak, newlines > 1 ? PARAGRAPH : LINE);
          newlines = 0;
        }
        emit(c);
      }
      if (newlines > 0) {
        pendingBreak = Math.max(pendingBreak, newlines > 1 ? PARAGRAPH : LINE);
      }
    }

    private void emit(int codePoint) {
      if (!out.isEmpty()) {
        if (pendingBreak == PARAGRAPH) {
          trimTrailingSpaces();
          out.append("\n\n");
        } else if (pendingBreak == LINE) {
          trimTrailingSpaces();
          out.append('\n');
        } else if (pendingSpace) {
          out.append(' ');
        }
      }
      pendingBreak = NO_BREAK;
      pendingSpace = false;
      out.appendCodePoint(codePoint);
    }

    private void trimTrailingSpaces() {
      int end = out.length();
      while (end > 0 && (out.charAt(end - 1) == ' ' || out.charAt(end - 1) == '\t')) {
        end--;
      }
      out.setLength(end);
    }
  }
}
