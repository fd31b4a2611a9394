package io.docpipe.documents;

import static io.docpipe.documents.TestDocuments.aDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PdfExtractorTest {

  private final TextExtractor pdf = new PdfExtractor(DocumentLimits.defaults());

  @Test
  void supportsPdfOnly() {
    assertThat(pdf.supports("application/pdf")).isTrue();
    assertThat(pdf.supports("text/plain")).isFalse();
    assertThat(pdf.supports(Documents.DOCX)).isFalse();
  }

  @Test
  void extractsTheTextOfEveryPageInOrder() throws ExtractionException {
    String text =
        pdf.extract(
            aDocument(
                Documents.PDF,
                TestDocuments.pdf(
                    "Rotating API keys\nevery ninety days.", "Backups restore a dropped table.")));

    assertThat(text).contains("Rotating API keys", "every ninety days.");
    assertThat(text.indexOf("ninety")).isLessThan(text.indexOf("Backups restore"));
  }

  @Test
  void textPastTheLimit_failsTooLargeWithoutReadingTheRest() {
    String page = "The quick brown fox jumps over the lazy dog.\n".repeat(40);
    byte[] bytes = TestDocuments.pdf(page, page, page, page, page);

    assertThatThrownBy(() -> pdf.extract(aDocument(Documents.PDF, bytes), 2_000))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
        .hasMessageContaining("2000 chars");
  }

  @Test
  void aStreamThatInflatesPastTheRatio_isRefusedAsABomb_quicklyAndInFewMegabytes() {
    byte[] bomb = TestDocuments.pdfWithStreamBomb(256L * 1024 * 1024);
    assertThat(bomb.length).isLessThan(2 * 1024 * 1024);

    Refusal refusal = Refusal.measure(() -> pdf.extract(aDocument(Documents.PDF, bomb)));

    assertThat(refusal.error()).hasMessageContaining("decompression bomb");
    assertThat(refusal.millis()).as("millis to refuse").isLessThan(1_000);
    assertThat(refusal.allocatedBytes()).as("bytes allocated").isLessThan(Refusal.FEW_MB);
    assertThat(refusal.heapGrowthBytes()).as("heap growth").isLessThan(Refusal.FEW_MB);
  }

  @Test
  void streamsPastTheTotalExpandedSize_areRefused() {
    // 1 MiB of spaces inflates from about 1 KiB; allow the ratio, not the total.
    byte[] bytes = TestDocuments.pdfWithStreamBomb(1024 * 1024);
    TextExtractor strict =
        new PdfExtractor(new DocumentLimits(512 * 1024, Integer.MAX_VALUE, 100, 1));

    assertThatThrownBy(() -> strict.extract(aDocument(Documents.PDF, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
        .hasMessageContaining("expands past 524288 bytes");
  }

  @Test
  void aPasswordProtectedPdf_failsWithAClearReason() {
    byte[] bytes = TestDocuments.encryptedPdf("classified");

    assertThatThrownBy(() -> pdf.extract(aDocument(Documents.PDF, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.EXTRACTION_FAILED))
        .hasMessageContaining("encrypted");
  }

  @Test
  void garbageAndTruncatedPdfs_failAsExtractionFailed() {
    byte[] garbage = "%PDF-1.7\nthis is not really a pdf".getBytes(StandardCharsets.US_ASCII);
    byte[] whole = TestDocuments.pdf("some text");
    byte[] truncated = java.util.Arrays.copyOf(whole, whole.length / 3);

    for (byte[] bytes : new byte[][] {garbage, truncated}) {
      assertThatThrownBy(() -> pdf.extract(aDocument(Documents.PDF, bytes)))
          .isInstanceOfSatisfying(
              ExtractionException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.EXTRACTION_FAILED));
    }
  }

  @Test
  void aPageOfMoreGlyphsThanThePageBudget_failsTooLarge_whileItIsInterpreted() throws Exception {
    // 4,000,000 glyphs of 1-point text on one page (4 MB): PDFBox would hold an object for each.
    byte[] bytes = TestDocuments.pdfWithContent(TestDocuments.manyGlyphs(4_000_000));
    TextExtractor budgeted =
        new PdfExtractor(DocumentLimits.defaults().withPageBudget(20_000, 1_000_000));
    budgeted.extract(aDocument(Documents.PDF, TestDocuments.pdf("warm up"))); // classes, fonts
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long cpuBefore = threads.getCurrentThreadCpuTime();

    Refusal refusal = Refusal.measure(() -> budgeted.extract(aDocument(Documents.PDF, bytes)));

    long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1_000_000;
    assertThat(refusal.error()).hasMessageContaining("page 1 shows more than 20000 glyphs");
    // Refused at the budget: the 3,980,000 glyphs past it cost nothing (CPU time, not wall time,
    // so that a loaded build machine does not decide).
    assertThat(cpuMillis).as("CPU millis to refuse").isLessThan(1_000);
    // Memory: HostileDocumentsIngestTest (cli) runs such a page under -Xmx256m.
  }

  @Test
  void aPageOfMoreOperatorsThanThePageBudget_failsTooLarge() {
    byte[] bytes =
        TestDocuments.pdfWithContent(
            "0 0 m 1 1 l S\n".repeat(20_000).getBytes(StandardCharsets.US_ASCII));
    TextExtractor strict =
        new PdfExtractor(DocumentLimits.defaults().withPageBudget(100_000, 10_000));

    assertThatThrownBy(() -> strict.extract(aDocument(Documents.PDF, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
        .hasMessageContaining("more than 10000 content operators");
  }

  @Test
  void aPageUnderThePageBudget_isExtracted() throws ExtractionException {
    byte[] bytes = TestDocuments.pdfWithContent(TestDocuments.manyGlyphs(5_000));

    assertThat(pdf.extract(aDocument(Documents.PDF, bytes))).startsWith("abcdefghij");
  }
}
