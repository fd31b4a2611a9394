package io.docpipe.documents;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import io.docpipe.core.port.out.TextExtractor;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A zip archive's text: the text, Markdown, PDF and Office entries it holds (and the same inside
 * zips within it, up to the nesting limit), each under a {@code == name ==} line, in archive order.
 * Other entries are skipped but still inflated and counted, so every limit holds for the whole
 * archive: entries, total inflated bytes across all levels, ratio per entry, names, nesting.
 */
final class ZipExtractor implements TextExtractor {

  static final String MEDIA_TYPE = "application/zip";

  private final DocumentLimits limits;
  private final PdfExtractor pdf;
  private final OoxmlExtractor office;

  ZipExtractor(DocumentLimits limits, PdfExtractor pdf, OoxmlExtractor office) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.pdf = Objects.requireNonNull(pdf, "pdf");
    this.office = Objects.requireNonNull(office, "office");
  }

  @Override
  public boolean supports(String mediaType) {
    return MEDIA_TYPE.equals(mediaType) || "application/x-zip-compressed".equals(mediaType);
  }

  @Override
  public String extract(Document document) throws ExtractionException {
    return extract(document, Integer.MAX_VALUE - 8);
  }

  /** Stops as soon as the text of all entries passes {@code maxChars}. */
  @Override
  public String extract(Document document, int maxChars) throws ExtractionException {
    TextBudget text = new TextBudget(maxChars);
    archive(document, document.content().toByteArray(), 1, new Expansion(limits), text);
    return text.toString();
  }

  private void archive(
      Document document, byte[] zip, int depth, Expansion expansion, TextBudget text)
      throws ExtractionException {
    ZipGuard.walk(
        zip,
        limits,
        expansion,
        (name, data) -> {
          String type = mediaType(name);
          if (type == null) {
            return; // not text we know: ZipGuard drains and counts it
          }
          byte[] bytes = data.readAllBytes(); // bounded: counted against the limits as it inflates
          if (type.equals(MEDIA_TYPE)) {
            if (depth >= limits.maxNestingDepth()) {
              throw new ExtractionException(
                  FailureReason.TOO_LARGE,
                  "archive "
                      + name
                      + " is nested deeper than "
                      + limits.maxNestingDepth()
                      + " level(s); refused");
            }
            archive(document, bytes, depth + 1, expansion, text);
            return;
          }
          Document entry =
              new Document(document.id(), document.source(), type, Map.of(), Content.adopt(bytes));
          int left = Math.max(0, text.maxChars() - text.length());
          String entryText;
          try {
            entryText =
                switch (type) {
                  case PdfExtractor.MEDIA_TYPE -> pdf.extract(entry, left, expansion);
                  case "text/plain", "text/markdown" ->
                      StrictText.decodeUtf8(entry.content(), left);
                  default -> office.extract(entry, left, expansion);
                };
          } catch (ExtractionException e) {
            throw new ExtractionException(
                e.reason(), "archive entry " + name + ": " + e.getMessage(), e);
          }
          text.append("== ").append(name).append(" ==\n").append(entryText).append("\n\n");
        });
  }

  /** The media type of an entry worth extracting, or {@code null}. */
  static @Nullable String mediaType(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    String ext = dot < 0 ? "" : lower.substring(dot + 1);
    return switch (ext) {
      case "txt", "text", "log" -> "text/plain";
      case "md", "markdown" -> "text/markdown";
      case "pdf" -> PdfExtractor.MEDIA_TYPE;
      case "docx" -> OoxmlExtractor.DOCX;
      case "pptx" -> OoxmlExtractor.PPTX;
      case "xlsx" -> OoxmlExtractor.XLSX;
      case "zip" -> MEDIA_TYPE;
      default -> null;
    };
  }

  @Override
  public String toString() {
    return "ZipExtractor";
  }
}
