package io.docpipe.tika;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.service.IngestDocumentsService;
import io.docpipe.core.service.IngestSettings;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.testkit.TikaServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code kill -9} of the real Tika Server while docpipe's ingestion runs through it: what was in
 * flight comes back retriable, nothing that would succeed is failed for good, and the next run (or
 * the same document, when the sidecar is back within the wait) indexes everything.
 */
class TikaSidecarFaultTest {

  private static final int DOCUMENTS = 12;

  /** The document during whose extraction the sidecar is killed. */
  private static final int KILLED_AT = 4;

  private TikaServerProcess server;

  @BeforeEach
  void startServer() {
    server = TikaServer.start();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static List<IngestRequest> pdfs() {
    List<IngestRequest> requests = new ArrayList<>();
    for (int i = 0; i < DOCUMENTS; i++) {
      String[] lines = new String[40];
      for (int l = 0; l < lines.length; l++) {
        lines[l] = "Report " + i + " line " + l + ": " + Samples.SENTENCE;
      }
      // The one in flight when the sidecar dies is long, so that it is still being parsed.
      byte[] pdf = i == KILLED_AT - 1 ? Samples.longPdf(200, Samples.SENTENCE) : Samples.pdf(lines);
      requests.add(
          new IngestRequest.Inline(Samples.document("report-" + i + ".pdf", Samples.PDF, pdf)));
    }
    return requests;
  }

  /** One window per document, so each is written before the next is extracted. */
  private static IngestDocumentsService ingestion(TextExtractor extractor, VectorStore store) {
    IngestSettings defaults = IngestSettings.defaults();
    IngestSettings settings =
        new IngestSettings(
            defaults.chunking(),
            defaults.maxDocumentBytes(),
            defaults.maxTextChars(),
            defaults.maxChunksPerDocument(),
            1);
    DocumentSource none =
        (ref, maxBytes) -> {
          throw new AssertionError("documents are inline");
        };
    return new IngestDocumentsService(
        none, List.of(extractor), new HashEmbeddings(), store, IngestionListener.NONE, settings);
  }

  /** The Tika extractor, with {@code onCall} run (on another thread) as document n starts. */
  private static TextExtractor killing(TextExtractor tika, int n, Runnable onCall) {
    AtomicInteger calls = new AtomicInteger();
    return new TextExtractor() {
      @Override
      public boolean supports(String mediaType) {
        return tika.supports(mediaType);
      }

      @Override
      public String extract(Document document) throws ExtractionException {
        return extract(document, Integer.MAX_VALUE - 16);
      }

      @Override
      public String extract(Document document, int maxChars) throws ExtractionException {
        if (calls.incrementAndGet() == n) {
          Thread.ofPlatform().name("kill-tika").start(onCall);
        }
        return tika.extract(document, maxChars);
      }
    };
  }

  /** The extractor for the sidecar, waiting {@code restartWait} for it to come back. */
  private TextExtractor tika(Duration timeout, Duration restartWait) {
    return TikaExtraction.extractor(
        TikaSettings.of(server.url()).withTimeout(timeout).withRestartWait(restartWait));
  }

  /**
   * The Tika extractor, killing the sidecar as document {@link #KILLED_AT} starts, and starting it
   * again right after when {@code restart}.
   */
  private TextExtractor killingTheSidecar(TextExtractor tika, boolean restart) {
    return killing(
        tika,
        KILLED_AT,
        () -> {
          try {
            server.kill();
            if (restart) {
              server.restart();
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
  }

  private static Map<String, Long> byOutcome(IngestReport report) {
    return report.outcomes().stream()
        .collect(
            Collectors.groupingBy(
                o ->
                    switch (o) {
                      case DocumentOutcome.Failed f -> "failed " + f.reason();
                      default -> o.getClass().getSimpleName();
                    },
                Collectors.counting()));
  }

  @Test
  void sidecarKilledMidIngest_inFlightDocumentsComeBackRetriable_andTheNextRunIndexesThem()
      throws Exception {
    TextExtractor tika = tika(Duration.ofSeconds(60), Duration.ofSeconds(3));
    VectorStore store = LuceneVectorStores.inMemory(new HashEmbeddings().dimension());
    List<IngestRequest> requests = pdfs();
    long watchdog = server.watchdog().pid();

    IngestReport first =
        ingestion(killingTheSidecar(tika, false), store).ingest(IngestCommand.of(requests));

    assertTrue(!server.watchdog().isAlive(), "the sidecar " + watchdog + " was killed");
    Map<String, Long> outcomes = byOutcome(first);
    assertEquals(
        Map.of(
            "Indexed",
            (long) KILLED_AT - 1,
            "failed " + FailureReason.EXTRACTION_UNAVAILABLE,
            (long) DOCUMENTS - KILLED_AT + 1),
        outcomes);
    for (DocumentOutcome o : first.outcomes()) {
      if (o instanceof DocumentOutcome.Failed f) {
        assertTrue(f.reason().retriable(), f.toString());
      }
    }

    server.restart();
    IngestReport second = ingestion(tika, store).ingest(IngestCommand.of(requests));
    assertEquals(
        Map.of("Unchanged", (long) KILLED_AT - 1, "Indexed", (long) DOCUMENTS - KILLED_AT + 1),
        byOutcome(second));
  }

  @Test
  void sidecarKilledAndBackWithinTheWait_theDocumentInFlightIsIndexed() throws Exception {
    TextExtractor tika = tika(Duration.ofSeconds(120), Duration.ofSeconds(90));
    VectorStore store = LuceneVectorStores.inMemory(new HashEmbeddings().dimension());

    IngestReport report =
        ingestion(killingTheSidecar(tika, true), store).ingest(IngestCommand.of(pdfs()));

    assertEquals(Map.of("Indexed", (long) DOCUMENTS), byOutcome(report), report.toString());
    assertTrue(server.answers());
  }
}
