package io.docpipe.documents;

import static io.docpipe.documents.TestDocuments.aDocument;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZipExtractorTest {

  private final TextExtractor zip =
      Documents.extractors(DocumentLimits.defaults()).stream()
          .filter(e -> e.supports("application/zip"))
          .findFirst()
          .orElseThrow();

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void extractsTextPdfAndOfficeEntries_inArchiveOrder_andSkipsTheRest() throws Exception {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("notes/readme.txt", utf8("Plain notes about backups."));
    entries.put("report.pdf", TestDocuments.pdf("A PDF page about rotation."));
    entries.put("image.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2});
    entries.put("minutes.docx", TestDocuments.docx("Meeting minutes in Word."));

    String text = zip.extract(aDocument("application/zip", TestDocuments.zip(entries)));

    assertThat(text)
        .contains("== notes/readme.txt ==", "Plain notes about backups.")
        .contains("== report.pdf ==", "A PDF page about rotation.")
        .contains("== minutes.docx ==", "Meeting minutes in Word.")
        .doesNotContain("image.png");
    assertThat(text.indexOf("readme")).isLessThan(text.indexOf("report.pdf"));
    assertThat(text.indexOf("report.pdf")).isLessThan(text.indexOf("minutes.docx"));
  }

  @Test
  void aZipInsideAZip_isRead_butNotThreeLevelsDeep() throws Exception {
    byte[] inner = TestDocuments.zip(Map.of("inner.txt", utf8("Inner text.")));
    byte[] middle = TestDocuments.zip(Map.of("inner.zip", inner));
    byte[] outer = TestDocuments.zip(Map.of("middle.zip", middle));

    assertThat(zip.extract(aDocument("application/zip", middle))).contains("Inner text.");
    assertThatThrownBy(() -> zip.extract(aDocument("application/zip", outer)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
        .hasMessageContaining("nested deeper than 2");
  }

  @Test
  void aBombInsideANestedZip_isRefused_quicklyAndInFewMegabytes() {
    byte[] bomb = TestDocuments.zipBomb("zeros.txt", 256L * 1024 * 1024);
    byte[] outer = TestDocuments.zip(Map.of("inner.zip", bomb));

    Refusal refusal = Refusal.measure(() -> zip.extract(aDocument("application/zip", outer)));

    assertThat(refusal.error()).hasMessageContaining("decompression bomb");
    assertThat(refusal.millis()).as("millis to refuse").isLessThan(1_000);
    assertThat(refusal.allocatedBytes()).as("bytes allocated").isLessThan(Refusal.FEW_MB);
  }

  @Test
  void manyModestEntries_areRefusedByTheTotalAcrossTheArchive() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < 40; i++) {
      entries.put("part" + i + ".txt", utf8(("line " + i + " of ordinary text\n").repeat(2_000)));
    }
    TextExtractor strict =
        Documents.extractors(DocumentLimits.defaults().withMaxExpandedBytes(1024 * 1024)).stream()
            .filter(e -> e.supports("application/zip"))
            .findFirst()
            .orElseThrow();

    assertThatThrownBy(
            () -> strict.extract(aDocument("application/zip", TestDocuments.zip(entries))))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
        .hasMessageContaining("expands past 1048576 bytes");
  }

  @Test
  void textOfAllEntriesPastTheLimit_failsTooLarge() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("a.txt", utf8("a".repeat(600)));
    entries.put("b.txt", utf8("b".repeat(600)));

    assertThatThrownBy(
            () -> zip.extract(aDocument("application/zip", TestDocuments.zip(entries)), 1_000))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE));
  }

  @Test
  void anEntryThatEscapes_isRefused() {
    byte[] slip = TestDocuments.zip(Map.of("../../etc/cron.d/evil.txt", utf8("x")));

    assertThatThrownBy(() -> zip.extract(aDocument("application/zip", slip)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_INPUT))
        .hasMessageContaining("escapes its directory");
  }

  @Test
  void aBrokenEntry_failsTheArchiveNamingTheEntry() {
    byte[] broken = TestDocuments.zip(Map.of("bad.pdf", utf8("%PDF-1.7 not really")));

    assertThatThrownBy(() -> zip.extract(aDocument("application/zip", broken)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.EXTRACTION_FAILED))
        .hasMessageContaining("archive entry bad.pdf");
  }
}
