package io.docpipe.documents;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.LongSupplier;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDocument;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSObjectKey;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.filter.Filter;
import org.apache.pdfbox.filter.FilterFactory;
import org.apache.pdfbox.io.MemoryUsageSetting;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDF text with PDFBox, in reading order. PDFBox decodes every stream it reads fully into memory,
 * so before any text is extracted each filtered stream is first decoded into a counting sink
 * against the document's {@link DocumentLimits}: a stream bomb costs the limit, not the heap.
 */
final class PdfExtractor extends ArchiveMemberExtractor {

  static final String MEDIA_TYPE = "application/pdf";

  /** Text extraction never decodes images, so their (legitimately large) pixels are not counted. */
  private static final Set<COSName> IMAGE_FILTERS =
      Set.of(
          COSName.DCT_DECODE,
          COSName.DCT_DECODE_ABBREVIATION,
          COSName.JPX_DECODE,
          COSName.CCITTFAX_DECODE,
          COSName.CCITTFAX_DECODE_ABBREVIATION,
          COSName.JBIG2_DECODE);

  PdfExtractor(DocumentLimits limits) {
    super(limits);
  }

  @Override
  public boolean supports(String mediaType) {
    return MEDIA_TYPE.equals(mediaType);
  }

  @Override
  String extract(Document document, int maxChars, Expansion expansion) throws ExtractionException {
    byte[] bytes = document.content().toByteArray();
    TextBudget text = new TextBudget(maxChars);
    // New streams PDFBox creates while reading stay in memory, bounded like the inflated ones.
    MemoryUsageSetting scratch = MemoryUsageSetting.setupMainMemoryOnly(limits.maxExpandedBytes());
    try (PDDocument pdf = Loader.loadPDF(bytes, "", null, null, scratch.streamCache)) {
      checkStreams(pdf.getDocument(), expansion);
      BudgetedStripper stripper = new BudgetedStripper(limits, maxChars);
      stripper.setSortByPosition(false);
      stripper.writeText(pdf, text.writer());
    } catch (InvalidPasswordException e) {
      throw new ExtractionException(
          FailureReason.EXTRACTION_FAILED, "the PDF is encrypted with a password; no text", e);
    } catch (TextBudget.Exceeded e) {
      throw text.tooLong();
    } catch (BudgetedStripper.PageBudgetReached e) {
      throw new ExtractionException(FailureReason.TOO_LARGE, String.valueOf(e.getMessage()));
    } catch (Expansion.Exceeded e) {
      throw e.reason;
    } catch (IOException | RuntimeException e) {
      throw new ExtractionException(
          FailureReason.EXTRACTION_FAILED, "not a readable PDF: " + e.getMessage(), e);
    }
    return text.toString();
  }

  /** Decodes every filtered, non-image stream into nothing, counting it against the limits. */
  private static void checkStreams(COSDocument cos, Expansion expansion) throws IOException {
    List<COSObjectKey> keys = new ArrayList<>(cos.getXrefTable().keySet());
    for (COSObjectKey key : keys) {
      COSObject object = cos.getObjectFromPool(key);
      if (object.getObject() instanceof COSStream stream) {
        List<COSName> filters = filters(stream);
        if (filters.isEmpty()
            || filters.stream().anyMatch(IMAGE_FILTERS::contains)
            || COSName.IMAGE.equals(stream.getCOSName(COSName.SUBTYPE))) {
          continue;
        }
        decodeCounting(stream, filters, expansion.part("PDF object " + key));
      }
    }
  }

  private static void decodeCounting(COSStream stream, List<COSName> filters, Expansion.Part part)
      throws IOException {
    CountingInputStream raw = new CountingInputStream(stream.createRawInputStream());
    LongSupplier compressed = raw::count;
    InputStream in = raw;
    try {
      for (int i = 0; i < filters.size(); i++) {
        Filter filter = FilterFactory.INSTANCE.getFilter(filters.get(i));
        boolean last = i == filters.size() - 1;
        if (last) {
          filter.decode(in, part.countingSink(compressed), stream, i);
        } else {
          // A chain (ASCII85 then Flate): the middle stage is kept, bounded by the same count.
          ByteArrayOutputStream middle = new ByteArrayOutputStream();
          filter.decode(in, tee(middle, part.countingSink(compressed)), stream, i);
          in.close();
          in = new ByteArrayInputStream(middle.toByteArray());
        }
      }
    } finally {
      in.close();
    }
  }

  private static OutputStream tee(OutputStream keep, OutputStream count) {
    return new OutputStream() {
      @Override
      public void write(int b) throws IOException {
        count.write(b);
        keep.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        count.write(b, off, len);
        keep.write(b, off, len);
      }
    };
  }

  private static List<COSName> filters(COSStream stream) {
    COSBase filters = stream.getFilters();
    if (filters instanceof COSName name) {
      return List.of(name);
    }
    List<COSName> names = new ArrayList<>();
    if (filters instanceof COSArray array) {
      for (int i = 0; i < array.size(); i++) {
        if (array.getObject(i) instanceof COSName name) {
          names.add(name);
        }
      }
    }
    return names;
  }

  @Override
  public String toString() {
    return "PdfExtractor";
  }

  /**
   * PDFBox's text stripper, counting while it interprets: glyphs and operators of the current page
   * (PDFBox keeps an object per glyph until the page ends, so the text budget, checked as a page is
   * written, comes too late for one huge page) and glyphs of the whole document. Counting stops the
   * page at the limit with an unchecked exception, which PDFBox does not swallow (it forgives
   * {@code IOException}s of form XObjects).
   */
  private static final class BudgetedStripper extends PDFTextStripper {
    private final int maxGlyphsPerPage;
    private final int maxOperatorsPerPage;
    private final long maxGlyphs;
    private int pageGlyphs;
    private int pageOperators;
    private long glyphs;

    BudgetedStripper(DocumentLimits limits, int maxChars) {
      this.maxGlyphsPerPage = limits.maxGlyphsPerPage();
      this.maxOperatorsPerPage = limits.maxOperatorsPerPage();
      // Fake bold draws a glyph several times, and duplicates are dropped from the text.
      this.maxGlyphs = 4L * maxChars + maxGlyphsPerPage;
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
      pageGlyphs = 0;
      pageOperators = 0;
      super.startPage(page);
    }

    @Override
    protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
      if (++pageOperators > maxOperatorsPerPage) {
        throw new PageBudgetReached(
            "page "
                + getCurrentPageNo()
                + " runs more than "
                + maxOperatorsPerPage
                + " content operators; extraction stopped there");
      }
      super.processOperator(operator, operands);
    }

    @Override
    protected void processTextPosition(TextPosition text) {
      if (++pageGlyphs > maxGlyphsPerPage) {
        throw new PageBudgetReached(
            "page "
                + getCurrentPageNo()
                + " shows more than "
                + maxGlyphsPerPage
                + " glyphs; extraction stopped there");
      }
      if (++glyphs > maxGlyphs) {
        throw new PageBudgetReached(
            "the PDF shows more than " + maxGlyphs + " glyphs; extraction stopped there");
      }
      super.processTextPosition(text);
    }

    /** Unchecked, so that it passes through PDFBox's operator handling. */
    static final class PageBudgetReached extends RuntimeException {
      private static final long serialVersionUID = 1L;

      PageBudgetReached(String message) {
        super(message, null, false, false);
      }
    }
  }
}
