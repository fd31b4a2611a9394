package io.docpipe.benchmarks;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.documents.DocumentLimits;
import io.docpipe.documents.Documents;
import io.docpipe.documents.TestDocuments;
import io.docpipe.testkit.TikaServerProcess;
import io.docpipe.tika.TikaExtraction;
import io.docpipe.tika.TikaSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Extraction throughput, in-process against the doc-builder sidecar (issue 21, ADR 0024): the same
 * PDFs and DOCX files, made from SciFact abstracts, extracted one after the other by docpipe's
 * in-process extractors (PDFBox, POI, with ADR 0016's budgets) and by a real Apache Tika Server on
 * 127.0.0.1 with the shipped {@code tika-config.xml}, through the adapter the runtimes use ({@code
 * TikaExtraction}, {@code PUT /rmeta/text}). Rounds alternate, in-process first.
 *
 * <p>Wall time is the measure: the sidecar parses in processes of its own (on the other core), so
 * this process's CPU time would flatter it. The CPU both sides spend per document (for the sidecar:
 * this process plus the Tika watchdog and its forked parser) is reported beside it.
 */
final class ExtractionBenchmark {

  /** Abstracts per document: a PDF page or a DOCX paragraph each. */
  static final int ABSTRACTS_PER_DOCUMENT = 8;

  private static final String PDF = "application/pdf";
  private static final String DOCX =
      "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
  private static final int MAX_CHARS = 16 << 20;
  private static final int LINE_CHARS = 90;

  private ExtractionBenchmark() {}

  /** Per run: documents/s, MB/s (bytes in) and CPU-ms per document, for each side. */
  record Result(
      int documents,
      long bytes,
      long inProcessChars,
      long sidecarChars,
      Samples inProcessDocsPerSecond,
      Samples sidecarDocsPerSecond,
      Samples inProcessCpuMillisPerDoc,
      Samples sidecarCpuMillisPerDoc,
      Samples sidecarOverInProcess) {
    // sidecarOverInProcess pairs the rounds as they ran (in-process, then sidecar), not sorted.

    Samples inProcessMegabytesPerSecond() {
      return inProcessDocsPerSecond.scaled(bytes / 1e6 / documents);
    }

    Samples sidecarMegabytesPerSecond() {
      return sidecarDocsPerSecond.scaled(bytes / 1e6 / documents);
    }
  }

  /**
   * Extracts {@code documents} documents (half PDF, half DOCX) {@code warmups + runs} times each
   * way, with a Tika Server started from {@code serverJar} and {@code config}, its log in {@code
   * work}.
   */
  static Result run(
      TextCorpus corpus,
      int documents,
      Path serverJar,
      Path config,
      Path work,
      int warmups,
      int runs) {
    List<Document> docs = documents(corpus, documents);
    long bytes = docs.stream().mapToLong(d -> d.content().size()).sum();
    List<TextExtractor> inProcess = Documents.extractors(DocumentLimits.defaults());
    try (TikaServerProcess server =
        TikaServerProcess.start(serverJar, config, work.resolve("tika-server.log"))) {
      TextExtractor sidecar =
          TikaExtraction.extractor(
              TikaSettings.of(server.url()).withTimeout(Duration.ofSeconds(60)));
      List<Double> ours = new ArrayList<>();
      List<Double> theirs = new ArrayList<>();
      List<Double> oursCpu = new ArrayList<>();
      List<Double> theirsCpu = new ArrayList<>();
      List<Double> ratio = new ArrayList<>();
      long[] chars = new long[2];
      for (int i = 0; i < warmups + runs; i++) {
        long cpu0 = Cpu.processCpuNanos();
        long t0 = System.nanoTime();
        chars[0] = extractAll(docs, d -> inProcessExtract(inProcess, d));
        long t1 = System.nanoTime();
        long cpu1 = Cpu.processCpuNanos();
        long tika0 = cpuNanos(server.watchdog());
        chars[1] = extractAll(docs, d -> sidecar.extract(d, MAX_CHARS));
        long t2 = System.nanoTime();
        long cpu2 = Cpu.processCpuNanos();
        long tika1 = cpuNanos(server.watchdog());
        if (i >= warmups) {
          ours.add(docs.size() / ((t1 - t0) / 1e9));
          theirs.add(docs.size() / ((t2 - t1) / 1e9));
          oursCpu.add((cpu1 - cpu0) / 1e6 / docs.size());
          ratio.add(((double) t1 - t0) / (t2 - t1));
          theirsCpu.add(((cpu2 - cpu1) + (tika1 - tika0)) / 1e6 / docs.size());
        }
      }
      return new Result(
          docs.size(),
          bytes,
          chars[0],
          chars[1],
          new Samples(ours),
          new Samples(theirs),
          new Samples(oursCpu),
          new Samples(theirsCpu),
          new Samples(ratio));
    }
  }

  /** The documents: PDFs of one abstract per page and DOCX files of one abstract per paragraph. */
  static List<Document> documents(TextCorpus corpus, int count) {
    List<String> abstracts = corpus.abstracts();
    List<Document> docs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      List<String> texts = new ArrayList<>(ABSTRACTS_PER_DOCUMENT);
      for (int a = 0; a < ABSTRACTS_PER_DOCUMENT; a++) {
        texts.add(printable(abstracts.get((i * ABSTRACTS_PER_DOCUMENT + a) % abstracts.size())));
      }
      boolean pdf = i % 2 == 0;
      byte[] bytes =
          pdf
              ? TestDocuments.pdf(
                  texts.stream().map(ExtractionBenchmark::wrap).toArray(String[]::new))
              : TestDocuments.docx(texts.toArray(String[]::new));
      String id = "doc-" + i + (pdf ? ".pdf" : ".docx");
      docs.add(
          new Document(
              DocumentId.of(id),
              URI.create("file:///bench/" + id),
              pdf ? PDF : DOCX,
              Map.of(),
              Content.of(bytes)));
    }
    return docs;
  }

  /** The sum of the text lengths, so a side that extracted nothing cannot look fast. */
  private static long extractAll(List<Document> docs, Extraction extraction) {
    long chars = 0;
    for (Document d : docs) {
      try {
        String text = extraction.extract(d);
        if (text.isBlank()) {
          throw new IllegalStateException("no text from " + d.id());
        }
        chars += text.length();
      } catch (ExtractionException e) {
        throw new IllegalStateException("extraction of " + d.id() + " failed", e);
      }
    }
    return chars;
  }

  private static String inProcessExtract(List<TextExtractor> extractors, Document d)
      throws ExtractionException {
    for (TextExtractor x : extractors) {
      if (x.supports(d.mediaType())) {
        return x.extract(d, MAX_CHARS);
      }
    }
    throw new IllegalStateException("no in-process extractor for " + d.mediaType());
  }

  /** CPU time of the Tika watchdog and its forked parser process (0 where the OS hides it). */
  private static long cpuNanos(ProcessHandle watchdog) {
    return Stream.concat(Stream.of(watchdog), watchdog.descendants())
        .mapToLong(p -> p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L))
        .sum();
  }

  /** Helvetica in a PDF draws WinAnsi only: SciFact's Greek letters and symbols become spaces. */
  private static String printable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints()
        .forEach(c -> out.append(c == '\n' || (c >= 0x20 && c < 0x7f) ? (char) c : ' '));
    return out.toString();
  }

  /** Lines of at most {@link #LINE_CHARS}, broken at spaces, so the text stays on the page. */
  private static String wrap(String text) {
    StringBuilder out = new StringBuilder();
    int lineStart = 0;
    for (String word : text.replace('\n', ' ').split(" +")) {
      if (out.length() - lineStart + word.length() + 1 > LINE_CHARS && out.length() > lineStart) {
        out.append('\n');
        lineStart = out.length();
      } else if (out.length() > lineStart) {
        out.append(' ');
      }
      out.append(word);
    }
    return out.toString();
  }

  @FunctionalInterface
  private interface Extraction {
    String extract(Document document) throws ExtractionException;
  }
}
