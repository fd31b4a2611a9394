package io.docpipe.documents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ZipGuardTest {

  private final DocumentLimits limits = DocumentLimits.defaults();

  @Test
  void aOneGigabyteZipBomb_isRefusedInUnderASecondWithoutGrowingTheHeap() {
    byte[] bomb = TestDocuments.zipBomb("zeros.bin", 1L << 30);
    assertThat(bomb.length).as("compressed size").isLessThan(2 * 1024 * 1024);

    Refusal refusal = Refusal.measure(() -> ZipGuard.check(bomb, limits, new Expansion(limits)));

    assertThat(refusal.error()).hasMessageContaining("inflates more than 100:1");
    assertThat(refusal.millis()).as("millis to refuse").isLessThan(1_000);
    assertThat(refusal.allocatedBytes()).as("bytes allocated").isLessThan(Refusal.FEW_MB);
    assertThat(refusal.heapGrowthBytes()).as("heap growth").isLessThan(Refusal.FEW_MB);
  }

  @Test
  void aWellCompressedButSmallEntry_passes() throws ExtractionException {
    // 64 KiB of zeros inflates ~600:1, but stays under the grace size: harmless.
    byte[] small = TestDocuments.zipBomb("zeros.bin", 64 * 1024);

    ZipGuard.check(small, limits, new Expansion(limits));
  }

  @Test
  void tooManyEntries_areRefused() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (int i = 0; i < 11; i++) {
      entries.put("e" + i + ".txt", new byte[] {'x'});
    }
    DocumentLimits ten = new DocumentLimits(1 << 20, 100, 10, 1);

    assertThatThrownBy(() -> ZipGuard.check(TestDocuments.zip(entries), ten, new Expansion(ten)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
        .hasMessageContaining("more than 10 entries");
  }

  @Test
  void namesThatEscapeTheDirectory_areRefused() {
    for (String name :
        List.of(
            "../evil.txt",
            "a/../../evil.txt",
            "/etc/passwd",
            "..\\..\\windows\\evil.txt",
            "C:/evil.txt",
            "a/b/..")) {
      byte[] zip = TestDocuments.zip(Map.of(name, new byte[] {'x'}));
      assertThatThrownBy(() -> ZipGuard.check(zip, limits, new Expansion(limits)))
          .as(name)
          .isInstanceOfSatisfying(
              ExtractionException.class,
              e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_INPUT))
          .hasMessageContaining("escapes its directory");
    }
  }

  @Test
  void ordinaryNamesWithDots_pass() throws ExtractionException {
    byte[] zip =
        TestDocuments.zip(Map.of("a..b/c.txt", new byte[] {'x'}, "..hidden", new byte[] {'y'}));

    ZipGuard.check(zip, limits, new Expansion(limits));
  }

  @Test
  void aDuplicateEntryName_isRefused() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("a.txt", new byte[] {'x'});
    entries.put("b.txt", new byte[] {'y'});
    // ZipOutputStream refuses a duplicate name: rename b.txt to a.txt in the bytes.
    byte[] twice = TestDocuments.zip(entries);
    for (int i = 0; i + 5 <= twice.length; i++) {
      if (new String(twice, i, 5, java.nio.charset.StandardCharsets.ISO_8859_1).equals("b.txt")) {
        twice[i] = 'a';
      }
    }

    assertThatThrownBy(() -> ZipGuard.check(twice, limits, new Expansion(limits)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isIn(FailureReason.INVALID_INPUT));
  }

  @Test
  void notAZip_failsAsExtractionFailed() {
    assertThatThrownBy(
            () ->
                ZipGuard.check(
                    "plain text".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    limits,
                    new Expansion(limits)))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.EXTRACTION_FAILED));
  }
}
