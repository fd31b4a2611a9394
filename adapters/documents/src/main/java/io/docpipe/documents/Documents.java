package io.docpipe.documents;

import io.docpipe.core.port.out.TextExtractor;
import java.util.List;
import java.util.Objects;

/** Text extractors for PDF and Office Open XML documents, bounded by {@link DocumentLimits}. */
public final class Documents {

  public static final String PDF = PdfExtractor.MEDIA_TYPE;
  public static final String DOCX = OoxmlExtractor.DOCX;
  public static final String PPTX = OoxmlExtractor.PPTX;
  public static final String XLSX = OoxmlExtractor.XLSX;
  public static final String ZIP = ZipExtractor.MEDIA_TYPE;

  private Documents() {}

  /**
   * Extractors for {@link #PDF}, {@link #DOCX}, {@link #PPTX}, {@link #XLSX}, and {@link #ZIP}
   * archives of those and of text.
   */
  public static List<TextExtractor> extractors(DocumentLimits limits) {
    Objects.requireNonNull(limits, "limits");
    PdfExtractor pdf = new PdfExtractor(limits);
    OoxmlExtractor office = new OoxmlExtractor(limits);
    return List.of(pdf, office, new ZipExtractor(limits, pdf, office));
  }
}
