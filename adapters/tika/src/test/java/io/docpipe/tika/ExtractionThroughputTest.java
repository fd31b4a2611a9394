package io.docpipe.tika;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.docpipe.core.model.Document;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.documents.DocumentLimits;
import io.docpipe.documents.Documents;
import io.docpipe.testkit.TikaServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Extraction throughput, in-process against the Tika sidecar, on the same documents (docs/
 * benchmarks.md). A measurement, not a check: runs only with {@code
 * -Ddocpipe.tika.throughput=true}.
 */
class ExtractionThroughputTest {

  @Test
  void inProcessAgainstTheSidecar() throws Exception {
    Assumptions.assumeTrue(
        Boolean.getBoolean("docpipe.tika.throughput"),
        "a measurement: -Ddocpipe.tika.throughput=true runs it");
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      docs.add(
          Samples.document(
              "r" + i + ".pdf",
              Samples.PDF,
              Samples.longPdf(40, "Report " + i + " " + Samples.SENTENCE)));
      List<String> paragraphs = new ArrayList<>();
      for (int p = 0; p < 400; p++) {
        paragraphs.add("Paragraph " + p + " of memo " + i + ": " + Samples.SECOND);
      }
      docs.add(
          Samples.document(
              "m" + i + ".docx", Samples.DOCX, Samples.docx(paragraphs.toArray(String[]::new))));
    }
    long bytes = docs.stream().mapToLong(d -> d.content().size()).sum();
    List<TextExtractor> inProcess = Documents.extractors(DocumentLimits.defaults());
    try (TikaServerProcess server = TikaServer.start()) {
      TextExtractor tika =
          TikaExtraction.extractor(
              TikaSettings.of(server.url()).withTimeout(Duration.ofSeconds(60)));
      for (int round = 0; round < 2; round++) { // round 0 warms both up
        long chars1 = 0;
        long t0 = System.nanoTime();
        for (Document d : docs) {
          for (TextExtractor x : inProcess) {
            if (x.supports(d.mediaType())) {
              chars1 += x.extract(d, 16 << 20).length();
              break;
            }
          }
        }
        long t1 = System.nanoTime();
        long chars2 = 0;
        for (Document d : docs) {
          chars2 += tika.extract(d, 16 << 20).length();
        }
        long t2 = System.nanoTime();
        if (round == 1) {
          report("in-process", docs.size(), bytes, chars1, t1 - t0);
          report("tika sidecar", docs.size(), bytes, chars2, t2 - t1);
          assertEquals(true, chars1 > 0 && chars2 > 0);
        }
      }
    }
  }

  private static void report(String what, int docs, long bytes, long chars, long nanos) {
    double s = nanos / 1e9;
    System.out.printf(
        "THROUGHPUT %s: %d docs, %.2f MB in, %.2f M chars out, %.2f s = %.1f docs/s, %.3f MB/s"
            + " in, %.2f M chars/s out%n",
        what, docs, bytes / 1e6, chars / 1e6, s, docs / s, bytes / 1e6 / s, chars / 1e6 / s);
  }
}
