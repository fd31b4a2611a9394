package io.docpipe.documents;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import org.apache.poi.openxml4j.exceptions.OpenXML4JException;
import org.apache.poi.openxml4j.opc.OPCPackage;
import org.apache.poi.sl.extractor.SlideShowExtractor;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.util.XMLHelper;
import org.apache.poi.xslf.usermodel.XMLSlideShow;
import org.apache.poi.xslf.usermodel.XSLFShape;
import org.apache.poi.xslf.usermodel.XSLFSlide;
import org.apache.poi.xslf.usermodel.XSLFTextParagraph;
import org.apache.poi.xssf.eventusermodel.ReadOnlySharedStringsTable;
import org.apache.poi.xssf.eventusermodel.XSSFReader;
import org.apache.poi.xssf.eventusermodel.XSSFSheetXMLHandler;
import org.apache.poi.xssf.usermodel.XSSFComment;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * DOCX, PPTX and XLSX text with Apache POI. The zip container is walked by {@link ZipGuard} first
 * (entries, total size, compression ratio, names), so POI only ever opens a container that fits the
 * limits; POI's own XML parsing refuses DOCTYPE declarations (no external entities, no entity
 * expansion). Spreadsheets are read as SAX events, cell by cell, so they stop at the text limit.
 */
final class OoxmlExtractor extends ArchiveMemberExtractor {

  static final String DOCX =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  static final String PPTX =
      "application/vnd.openxmlformats-officedocument.presentationml.presentation";
  static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

  OoxmlExtractor(DocumentLimits limits) {
    super(limits);
  }

  @Override
  public boolean supports(String mediaType) {
    return DOCX.equals(mediaType) || PPTX.equals(mediaType) || XLSX.equals(mediaType);
  }

  @Override
  String extract(Document document, int maxChars, Expansion expansion) throws ExtractionException {
    byte[] bytes = document.content().toByteArray();
    if (XLSX.equals(document.mediaType())) {
      ZipGuard.check(bytes, limits, expansion); // sheets are streamed below
    } else {
      checkTreeBudget(bytes, expansion);
    }
    TextBudget text = new TextBudget(maxChars);
    OPCPackage pkg;
    try {
      pkg = OPCPackage.open(new ByteArrayInputStream(bytes));
    } catch (IOException | OpenXML4JException | RuntimeException e) {
      throw failed("not a readable Office Open XML file", e);
    }
    try {
      switch (document.mediaType()) {
        case DOCX -> word(pkg, text);
        case PPTX -> slides(pkg, text);
        case XLSX -> cells(pkg, text);
        default ->
            throw new ExtractionException(
                FailureReason.UNSUPPORTED_MEDIA_TYPE, "not an OOXML type: " + document.mediaType());
      }
    } catch (IOException | OpenXML4JException | SAXException | RuntimeException e) {
      if (e instanceof BudgetReached
          || (e instanceof SAXException s && s.getException() instanceof TextBudget.Exceeded)) {
        throw text.tooLong();
      }
      if (e instanceof IllegalStateException
          && String.valueOf(e.getMessage()).contains("max allowed overall size")) {
        // POI's own cap on a Word document's text (ZipSecureFile.getMaxTextSize, 10M chars)
        throw new ExtractionException(
            FailureReason.TOO_LARGE, "text passes POI's limit of extracted text", e);
      }
      throw failed("cannot read the document", e);
    } finally {
      pkg.revert(); // opened from memory: nothing to save, just release
    }
    return text.toString();
  }

  /**
   * The zip guard's walk, also counting the XML that POI would hold as a tree (DOCX, PPTX): refused
   * as soon as the count passes the budget, before any tree is built.
   */
  private void checkTreeBudget(byte[] bytes, Expansion expansion) throws ExtractionException {
    long[] xml = {0};
    byte[] buffer = new byte[64 * 1024];
    ZipGuard.walk(
        bytes,
        limits,
        expansion,
        (name, data) -> {
          if (!(name.endsWith(".xml") || name.endsWith(".rels"))) {
            return;
          }
          int n;
          while ((n = data.read(buffer, 0, buffer.length)) >= 0) {
            xml[0] += n;
            if (xml[0] > limits.maxTreeXmlBytes()) {
              throw new ExtractionException(
                  FailureReason.TOO_LARGE,
                  "the document's XML passes "
                      + limits.maxTreeXmlBytes()
                      + " bytes (at "
                      + name
                      + "); DOCX and PPTX are read whole, so that is their limit");
            }
          }
        });
  }

  private static ExtractionException failed(String what, Exception e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String detail = String.valueOf(e.getMessage());
    if (root != e && root.getMessage() != null && !detail.contains(root.getMessage())) {
      detail = detail + " (" + root.getMessage() + ")";
    }
    return new ExtractionException(FailureReason.EXTRACTION_FAILED, what + ": " + detail, e);
  }

  private static void word(OPCPackage pkg, TextBudget text)
      throws IOException, ExtractionException {
    // XWPF holds the document as a tree anyway; its size is bounded by the zip guard.
    try (XWPFWordExtractor extractor = new XWPFWordExtractor(new XWPFDocument(pkg))) {
      extractor.setCloseFilesystem(false);
      text.append(extractor.getText());
    }
  }

  private static void slides(OPCPackage pkg, TextBudget text)
      throws IOException, ExtractionException {
    XMLSlideShow show = new XMLSlideShow(pkg);
    SlideShowExtractor<XSLFShape, XSLFTextParagraph> extractor = new SlideShowExtractor<>(show);
    extractor.setCloseFilesystem(false);
    extractor.setNotesByDefault(true);
    for (XSLFSlide slide : show.getSlides()) {
      text.append(extractor.getText(slide));
    }
  }

  private static void cells(OPCPackage pkg, TextBudget text)
      throws IOException, OpenXML4JException, SAXException {
    XSSFReader reader = new XSSFReader(pkg);
    ReadOnlySharedStringsTable strings = new ReadOnlySharedStringsTable(pkg);
    DataFormatter formatter = new DataFormatter();
    XMLReader parser;
    try {
      parser = XMLHelper.newXMLReader(); // POI's hardened SAX parser: no DOCTYPE
    } catch (javax.xml.parsers.ParserConfigurationException e) {
      throw new SAXException(e);
    }
    Iterator<InputStream> sheets = reader.getSheetsData();
    while (sheets.hasNext()) {
      try (InputStream sheet = sheets.next()) {
        parser.setContentHandler(
            new XSSFSheetXMLHandler(
                reader.getStylesTable(), strings, new Cells(text), formatter, false));
        parser.parse(new InputSource(sheet));
      }
      appendOrThrow(text, "\n");
    }
  }

  private static void appendOrThrow(TextBudget text, String s) throws SAXException {
    try {
      text.append(s);
    } catch (ExtractionException e) {
      throw new SAXException(new TextBudget.Exceeded());
    }
  }

  /** Rows as lines, cells separated by tabs. */
  private record Cells(TextBudget text) implements XSSFSheetXMLHandler.SheetContentsHandler {
    @Override
    public void startRow(int row) {}

    @Override
    public void endRow(int row) {
      append("\n");
    }

    @Override
    public void cell(String reference, String value, XSSFComment comment) {
      append(value);
      append("\t");
    }

    private void append(String s) {
      try {
        text.append(s);
      } catch (ExtractionException e) {
        // SheetContentsHandler cannot throw checked exceptions; unwrapped in extract()
        throw new BudgetReached();
      }
    }
  }

  /** Unchecked carrier of the text limit out of POI's SAX callbacks. */
  private static final class BudgetReached extends RuntimeException {
    BudgetReached() {
      super("text limit reached", null, false, false);
    }
  }
}
