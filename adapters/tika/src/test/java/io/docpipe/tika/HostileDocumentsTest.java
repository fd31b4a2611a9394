package io.docpipe.tika;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.testkit.TikaServerProcess;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * The hostile documents that exhaust memory in-process (a page of millions of glyphs, a huge HTML
 * page) sent to the real Tika Server with the shipped tika-config.xml: each ends failed, Tika's
 * forked parser is restarted (the server process, i.e. the container, lives on), and this process's
 * heap is the same after as before (measured after a full GC).
 */
class HostileDocumentsTest {

  /** More than this process's heap grows when it extracts such a document in-process. */
  private static final long FLAT = 16L * 1024 * 1024;

  @AutoClose private static final TikaServerProcess server = TikaServer.start();

  private static final TextExtractor tika =
      TikaExtraction.extractor(
          TikaSettings.of(server.url())
              .withTimeout(Duration.ofSeconds(90))
              .withRestartWait(Duration.ofSeconds(60)));

  private static long usedHeapAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void assertTheSidecarStillWorks(long watchdogPid) throws ExtractionException {
    assertTrue(server.watchdog().isAlive(), "the server process (the container) lives on");
    assertEquals(watchdogPid, server.watchdog().pid());
    server.awaitReady();
    Document ok = Samples.document("ok.pdf", Samples.PDF, Samples.pdf(Samples.SENTENCE));
    assertEquals(Samples.SENTENCE, tika.extract(ok, 1_000_000).strip());
  }

  @Test
  void pdfPageOfMillionsOfGlyphs_failsInTikasParser_andThisHeapStaysFlat() throws Exception {
    Document glyphs =
        Samples.document("glyphs.pdf", Samples.PDF, Samples.pdfOfManyGlyphs(4_000_000));
    long watchdog = server.watchdog().pid();
    long parserBefore = server.watchdog().children().findFirst().orElseThrow().pid();
    long spoolsBefore = spools(server.spoolDirectory());
    long before = usedHeapAfterGc();

    ExtractionException e =
        assertThrows(ExtractionException.class, () -> tika.extract(glyphs, 16 * 1024 * 1024));

    long after = usedHeapAfterGc();
    System.out.printf(
        "4M-glyph PDF: %s (%s); heap before %d MiB, after %d MiB%n",
        e.reason(), e.getMessage(), before >> 20, after >> 20);
    assertTrue(
        Set.of(FailureReason.EXTRACTION_FAILED, FailureReason.EXTRACTION_TIMEOUT)
            .contains(e.reason()),
        e.getMessage());
    assertTrue(!e.reason().retriable());
    assertTrue(after - before < FLAT, "heap grew " + ((after - before) >> 20) + " MiB");
    assertTheSidecarStillWorks(watchdog);
    long parserAfter = server.watchdog().children().findFirst().orElseThrow().pid();
    assertTrue(parserAfter != parserBefore, "Tika restarted its parser process");

    // The dead parser's copy of the document stays in its temp directory (the container's /tmp
    // in the image) until the health probe's sweep finds it old enough.
    Path spool = server.spoolDirectory();
    assertTrue(
        spools(spool) > spoolsBefore,
        "Tika no longer leaves a dead parser's spool file: SidecarHealthProbe's sweep can go");
    assertEquals(
        0,
        SidecarHealthProbe.sweepOrphanedSpools(spool, Instant.now().minusSeconds(600)),
        () -> listing(spool));
    assertTrue(SidecarHealthProbe.sweepOrphanedSpools(spool, Instant.now().plusSeconds(1)) > 0);
    assertEquals(0, spools(spool), () -> listing(spool));
  }

  private static String listing(Path directory) {
    try (var files = Files.list(directory)) {
      return files
          .map(
              f -> {
                try {
                  return f.getFileName()
                      + " "
                      + Files.getLastModifiedTime(f)
                      + " dir="
                      + Files.isDirectory(f);
                } catch (IOException e) {
                  return f.toString();
                }
              })
          .toList()
          .toString();
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static long spools(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      // What the sweep looks for; apache-tika-server-forked-tmp-* is the live parser's own.
      return files
          .map(f -> f.getFileName().toString())
          .filter(n -> n.startsWith("apache-tika-") && n.endsWith(".tmp"))
          .count();
    }
  }

  @Test
  void htmlPageOf32MiB_failsTooLargeAtTheCharLimit_andThisHeapStaysFlat() throws Exception {
    Document html = Samples.document("huge.html", Samples.HTML, Samples.hugeHtml(32 << 20));
    long watchdog = server.watchdog().pid();
    long before = usedHeapAfterGc();

    ExtractionException e =
        assertThrows(ExtractionException.class, () -> tika.extract(html, 1_000_000));

    long after = usedHeapAfterGc();
    System.out.printf(
        "32 MiB HTML page: %s (%s); heap before %d MiB, after %d MiB%n",
        e.reason(), e.getMessage(), before >> 20, after >> 20);
    assertEquals(FailureReason.TOO_LARGE, e.reason(), e.getMessage());
    assertTrue(after - before < FLAT, "heap grew " + ((after - before) >> 20) + " MiB");
    assertTheSidecarStillWorks(watchdog);
  }
}
