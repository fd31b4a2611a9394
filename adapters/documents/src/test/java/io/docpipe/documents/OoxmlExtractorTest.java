package io.docpipe.documents;

import static io.docpipe.documents.TestDocuments.aDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OoxmlExtractorTest {

  private final TextExtractor office = new OoxmlExtractor(DocumentLimits.defaults());

  @Test
  void supportsTheThreeOfficeOpenXmlTypes() {
    assertThat(office.supports(Documents.DOCX)).isTrue();
    assertThat(office.supports(Documents.PPTX)).isTrue();
    assertThat(office.supports(Documents.XLSX)).isTrue();
    assertThat(office.supports("application/msword")).isFalse();
    assertThat(office.supports("application/zip")).isFalse();
  }

  @Test
  void extractsWordParagraphs() throws ExtractionException {
    String text =
        office.extract(
            aDocument(
                Documents.DOCX,
                TestDocuments.docx("Database backups", "restore a dropped table.")));

    assertThat(text).contains("Database backups", "restore a dropped table.");
  }

  @Test
  void extractsSlidesInOrder() throws ExtractionException {
    String text =
        office.extract(
            aDocument(Documents.PPTX, TestDocuments.pptx("First slide title", "Second slide")));

    assertThat(text).contains("First slide title", "Second slide");
    assertThat(text.indexOf("First")).isLessThan(text.indexOf("Second"));
  }

  @Test
  void extractsSpreadsheetRowsAsLines() throws ExtractionException {
    String text =
        office.extract(
            aDocument(
                Documents.XLSX,
                TestDocuments.xlsx(
                    List.of(List.of("region", "revenue"), List.of("north", "1200")))));

    assertThat(text).contains("region\trevenue", "north\t1200");
  }

  @Test
  void spreadsheetTextPastTheLimit_stopsAsTooLarge() {
    List<List<String>> rows =
        java.util.stream.IntStream.range(0, 2_000)
            .mapToObj(i -> List.of("row " + i, "some repeated cell text " + i))
            .toList();
    byte[] bytes = TestDocuments.xlsx(rows);

    assertThatThrownBy(() -> office.extract(aDocument(Documents.XLSX, bytes), 1_000))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE));
  }

  @Test
  void wordTextPastTheLimit_failsTooLarge() {
    byte[] bytes = TestDocuments.docx("x".repeat(5_000));

    assertThatThrownBy(() -> office.extract(aDocument(Documents.DOCX, bytes), 1_000))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE));
  }

  @Test
  void anExternalEntityToALocalFile_neverBringsTheFileIntoTheText(@TempDir Path dir)
      throws IOException {
    SecretFile secret = SecretFile.in(dir);
    byte[] xxe =
        withEntity(
            TestDocuments.docx("PLACEHOLDER"),
            "word/document.xml",
            secret.doctype("w:document"),
            "xxe");

    assertRefused(Documents.DOCX, xxe, secret.text());
  }

  @Test
  void billionLaughs_isRefusedQuicklyWithoutExpanding() {
    StringBuilder doctype = new StringBuilder("<!DOCTYPE w:document [<!ENTITY lol0 \"lol\">");
    for (int i = 1; i <= 9; i++) {
      doctype.append("<!ENTITY lol").append(i).append(" \"");
      doctype.append(("&lol" + (i - 1) + ";").repeat(10)).append("\">");
    }
    doctype.append("]>");
    byte[] laughs =
        withEntity(
            TestDocuments.docx("PLACEHOLDER"), "word/document.xml", doctype.toString(), "lol9");

    long start = System.nanoTime();
    assertRefused(Documents.DOCX, laughs, "lollollol");
    assertThat((System.nanoTime() - start) / 1_000_000).as("millis").isLessThan(5_000);
  }

  @Test
  void externalEntitiesInSlidesAndSheets_areRefusedToo(@TempDir Path dir) throws IOException {
    SecretFile secret = SecretFile.in(dir);
    String doctype = secret.doctype("x");
    byte[] slides =
        withEntity(TestDocuments.pptx("PLACEHOLDER"), "ppt/slides/slide1.xml", doctype, "xxe");
    byte[] sheet =
        withEntity(
            TestDocuments.xlsx(List.of(List.of("PLACEHOLDER"))),
            "xl/sharedStrings.xml",
            doctype,
            "xxe");

    assertRefused(Documents.PPTX, slides, secret.text());
    assertRefused(Documents.XLSX, sheet, secret.text());
  }

  @Test
  void aDoctypeInTheContentTypes_isRefusedToo(@TempDir Path dir) throws IOException {
    SecretFile secret = SecretFile.in(dir);
    byte[] xxe =
        TestDocuments.rewrite(
            TestDocuments.docx("hello"),
            "[Content_Types].xml",
            xml -> withDoctype(xml, secret.doctype("Types")));

    assertRefused(Documents.DOCX, xxe, secret.text());
  }

  /** A local file holding a random secret, which an external entity could pull into the text. */
  private record SecretFile(String text, URI uri) {
    static SecretFile in(Path dir) throws IOException {
      String text = "SECRET-" + UUID.randomUUID();
      return new SecretFile(text, Files.writeString(dir.resolve("secret.txt"), text).toUri());
    }

    /** A DOCTYPE for {@code root} that declares the entity {@code xxe} as this file. */
    String doctype(String root) {
      return "<!DOCTYPE " + root + " [<!ENTITY xxe SYSTEM \"" + uri + "\">]>";
    }
  }

  /**
   * {@code office} with {@code doctype} in {@code entry} and its text PLACEHOLDER replaced by a
   * reference to {@code entity}.
   */
  private static byte[] withEntity(byte[] office, String entry, String doctype, String entity) {
    return TestDocuments.rewrite(
        office, entry, xml -> withDoctype(xml, doctype).replace("PLACEHOLDER", "&" + entity + ";"));
  }

  /** POI refuses any DOCTYPE outright, so neither expansion nor inclusion can happen. */
  private void assertRefused(String mediaType, byte[] document, String forbidden) {
    assertThatThrownBy(() -> office.extract(aDocument(mediaType, document)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.EXTRACTION_FAILED))
        .hasMessageContaining("DOCTYPE is disallowed")
        .message()
        .doesNotContain(forbidden);
  }

  private static String withDoctype(String xml, String doctype) {
    int endOfDeclaration = xml.indexOf("?>") + 2;
    return xml.substring(0, endOfDeclaration) + doctype + xml.substring(endOfDeclaration);
  }

  @Test
  void aZipBombInsideADocx_isRefusedBeforePoiOpensIt_quicklyAndInFewMegabytes() {
    byte[] bomb =
        TestDocuments.withBombEntry(
            TestDocuments.docx("hello"), "word/media/image1.bin", 256L * 1024 * 1024);

    Refusal refusal = Refusal.measure(() -> office.extract(aDocument(Documents.DOCX, bomb)));

    assertThat(refusal.error()).hasMessageContaining("decompression bomb");
    assertThat(refusal.millis()).as("millis to refuse").isLessThan(1_000);
    assertThat(refusal.allocatedBytes()).as("bytes allocated").isLessThan(Refusal.FEW_MB);
    assertThat(refusal.heapGrowthBytes()).as("heap growth").isLessThan(Refusal.FEW_MB);
  }

  @Test
  void moreExpandedBytesThanAllowed_failsTooLarge() {
    byte[] bytes = TestDocuments.docx("a paragraph of ordinary text ".repeat(2_000));
    TextExtractor strict =
        new OoxmlExtractor(DocumentLimits.defaults().withMaxExpandedBytes(16 * 1024));

    assertThatThrownBy(() -> strict.extract(aDocument(Documents.DOCX, bytes)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
        .hasMessageContaining("expands past 16384 bytes");
  }

  @Test
  void notAZip_failsAsExtractionFailed() {
    byte[] notZip = "just some text".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> office.extract(aDocument(Documents.DOCX, notZip)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.EXTRACTION_FAILED));
  }

  @Test
  void aDocxWhoseXmlPassesTheTreeBudget_failsTooLarge_beforePoiBuildsItsTree() {
    byte[] bytes = TestDocuments.docxOfManyParagraphs(60_000); // ~7 MiB of XML
    TextExtractor budgeted =
        new OoxmlExtractor(DocumentLimits.defaults().withMaxTreeXmlBytes(2L * 1024 * 1024));

    Refusal refusal = Refusal.measure(() -> budgeted.extract(aDocument(Documents.DOCX, bytes)));

    assertThat(refusal.error()).hasMessageContaining("XML passes 2097152 bytes");
    assertThat(refusal.millis()).as("millis to refuse").isLessThan(2_000);
    // Nothing but the zip guard's buffer: no tree, no text (the document itself is ~2 MiB).
    assertThat(refusal.heapGrowthBytes()).as("heap growth").isLessThan(2 * Refusal.FEW_MB);
  }

  @Test
  void aDocxUnderTheTreeBudget_isExtracted() throws ExtractionException {
    byte[] bytes = TestDocuments.docxOfManyParagraphs(100);

    assertThat(office.extract(aDocument(Documents.DOCX, bytes))).hasSizeGreaterThan(5_000);
  }
}
