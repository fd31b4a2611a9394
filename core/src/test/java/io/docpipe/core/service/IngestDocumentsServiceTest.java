package io.docpipe.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.fakes.InMemoryVectorStore;
import io.docpipe.core.fakes.MapSource;
import io.docpipe.core.fakes.WordHashEmbeddingModel;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.PointId;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.WriteStamps;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class IngestDocumentsServiceTest {

  private final MapSource source = new MapSource();
  private final WordHashEmbeddingModel model = new WordHashEmbeddingModel(64, 32);
  private final InMemoryVectorStore store = new InMemoryVectorStore(64);

  /** One clock for every service of a test: they write one store, as a runtime's runs do. */
  private final WriteStamps stamps = new WriteStamps(InstantSource.system());

  private IngestDocumentsService service =
      service(
          IngestSettings.defaults()
              .withChunking(new ChunkingPolicy(16, 4, ChunkingPolicy.Mode.SPLIT)));

  private IngestDocumentsService service(IngestSettings settings) {
    return new IngestDocumentsService(
        source,
        List.of(MapSource.PLAIN_TEXT),
        model,
        store,
        IngestionListener.NONE,
        settings,
        stamps);
  }

  private static IngestCommand fetch(String... ids) {
    return IngestCommand.of(
        Stream.of(ids)
            .<IngestRequest>map(id -> new IngestRequest.Fetch(MapSource.ref(id)))
            .toList());
  }

  private static String words(String prefix, int n) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(prefix).append(i).append(i % 10 == 9 ? ".\n\n" : " ");
    }
    return sb.toString();
  }

  @Test
  void newDocuments_areIndexedWithOnePointPerChunk() {
    source.put("a.txt", words("alpha", 40)).put("b.txt", "short text");
    IngestReport report = service.ingest(fetch("a.txt", "b.txt"));
    assertThat(report.outcomes()).allMatch(o -> o instanceof DocumentOutcome.Indexed);
    int chunksA = ((DocumentOutcome.Indexed) report.outcomes().get(0)).chunks();
    assertThat(chunksA).isGreaterThan(2);
    assertThat(store.count()).isEqualTo(chunksA + 1);
    assertThat(store.snapshot()).containsKey(PointId.of(DocumentId.of("a.txt"), chunksA - 1));
    assertThat(report.chunksEmbedded()).isEqualTo(chunksA + 1);
  }

  @Test
  void unchangedDocument_isNotEmbeddedAgain() {
    source.put("a.txt", words("alpha", 40)).put("b.txt", "short text");
    service.ingest(fetch("a.txt", "b.txt"));
    long points = store.count();
    int embedCalls = model.calls();
    int writes = store.writeCalls();

    IngestReport again = service.ingest(fetch("a.txt", "b.txt"));

    assertThat(again.outcomes())
        .containsExactly(
            new DocumentOutcome.Unchanged(DocumentId.of("a.txt")),
            new DocumentOutcome.Unchanged(DocumentId.of("b.txt")));
    assertThat(model.calls()).isEqualTo(embedCalls);
    assertThat(again.chunksEmbedded()).isZero();
    assertThat(store.writeCalls()).isEqualTo(writes);
    assertThat(store.count()).isEqualTo(points);
  }

  @Test
  void shrunkDocument_losesItsStaleChunks() {
    source.put("a.txt", words("alpha", 60));
    int before =
        ((DocumentOutcome.Indexed) service.ingest(fetch("a.txt")).outcomes().get(0)).chunks();
    source.put("a.txt", "now it is short");
    assertThat(service.ingest(fetch("a.txt")).outcomes())
        .containsExactly(new DocumentOutcome.Indexed(DocumentId.of("a.txt"), 1));
    assertThat(before).isGreaterThan(1);
    assertThat(store.count()).isEqualTo(1);
    assertThat(store.snapshot().values())
        .allSatisfy(p -> assertThat(p.payload().text()).isEqualTo("now it is short"));
  }

  @Test
  void changingTheChunkingPolicy_reindexesInsteadOfReportingUnchanged() {
    source.put("a.txt", words("alpha", 40));
    service.ingest(fetch("a.txt"));
    service =
        service(
            IngestSettings.defaults()
                .withChunking(new ChunkingPolicy(24, 4, ChunkingPolicy.Mode.SPLIT)));
    assertThat(service.ingest(fetch("a.txt")).outcomes().get(0))
        .isInstanceOf(DocumentOutcome.Indexed.class);
  }

  @Test
  void badDocuments_failAloneWithAReason_andTheRestIsIndexed() {
    source
        .put("good.txt", "a perfectly good document")
        .put("empty.txt", new byte[0])
        .put("blank.txt", "   \n  ")
        .put("binary.txt", new byte[] {'P', 'K', 3, 4, 0, 0, 1})
        .put("latin1.txt", new byte[] {'c', 'a', 'f', (byte) 0xe9, ' ', 'o', 'k'})
        .put("image.bin", new byte[] {1, 2, 3})
        .put("also-good.txt", "another good one");
    source.failFetchOf("gone.txt", FailureReason.NOT_FOUND);

    IngestReport report =
        service.ingest(
            fetch(
                "good.txt",
                "empty.txt",
                "blank.txt",
                "binary.txt",
                "latin1.txt",
                "image.bin",
                "gone.txt",
                "also-good.txt"));

    assertThat(report.indexed()).isEqualTo(2);
    assertThat(report.failures())
        .extracting(DocumentOutcome.Failed::reason)
        .containsExactly(
            FailureReason.EMPTY,
            FailureReason.EMPTY,
            FailureReason.BINARY,
            FailureReason.INVALID_ENCODING,
            FailureReason.UNSUPPORTED_MEDIA_TYPE,
            FailureReason.NOT_FOUND);
    assertThat(report.failures().get(3).detail()).contains("byte offset 3");
    assertThat(report.failures()).allSatisfy(f -> assertThat(f.detail()).isNotBlank());
  }

  @Test
  void oversizedDocument_failsTooLarge_beforeBeingRead() {
    service = service(new IngestSettings(ChunkingPolicy.defaults(), 10, 1000, 100, 8));
    source.put("big.txt", "0123456789 and more");
    assertThat(service.ingest(fetch("big.txt")).failures())
        .singleElement()
        .extracting(DocumentOutcome.Failed::reason)
        .isEqualTo(FailureReason.TOO_LARGE);
  }

  @Test
  void theTextLimit_isPassedToTheExtractor_andTextPastItFailsTooLarge() {
    List<Integer> limitsSeen = new java.util.ArrayList<>();
    io.docpipe.core.port.out.TextExtractor recording =
        new io.docpipe.core.port.out.TextExtractor() {
          @Override
          public boolean supports(String mediaType) {
            return true;
          }

          @Override
          public String extract(io.docpipe.core.model.Document document) {
            throw new AssertionError("the bounded extract must be called");
          }

          @Override
          public String extract(io.docpipe.core.model.Document document, int maxChars) {
            limitsSeen.add(maxChars);
            return "x".repeat(maxChars + 1); // an extractor that ignores its limit
          }
        };
    service =
        new IngestDocumentsService(
            source,
            List.of(recording),
            model,
            store,
            IngestionListener.NONE,
            new IngestSettings(ChunkingPolicy.defaults(), 1 << 20, 50, 100, 8),
            stamps);
    source.put("a.txt", "anything");

    assertThat(service.ingest(fetch("a.txt")).failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FailureReason.TOO_LARGE);
              assertThat(f.detail()).contains("51 chars");
            });
    assertThat(limitsSeen).containsExactly(50);
  }

  @Test
  void tooManyChunks_failsTooLarge() {
    service =
        service(
            new IngestSettings(
                new ChunkingPolicy(8, 0, ChunkingPolicy.Mode.SPLIT), 1 << 20, 1 << 20, 3, 8));
    source.put("long.txt", words("w", 100));
    assertThat(service.ingest(fetch("long.txt")).failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FailureReason.TOO_LARGE);
              assertThat(f.detail()).contains("chunks");
            });
    assertThat(store.count()).isZero();
  }

  @Test
  void embeddingFailure_failsOnlyItsDocument_andWritesNothingOfIt() {
    source
        .put("a.txt", "fine words here")
        .put("poison.txt", "contains POISON inside")
        .put("c.txt", "more fine words");
    model.failOn(t -> t.contains("POISON"));
    IngestReport report = service.ingest(fetch("a.txt", "poison.txt", "c.txt"));
    assertThat(report.outcomes())
        .extracting(o -> o.getClass().getSimpleName())
        .containsExactly("Indexed", "Failed", "Indexed");
    assertThat(report.failures().get(0).reason()).isEqualTo(FailureReason.EMBEDDING_FAILED);
    assertThat(store.storedHashes(List.of(DocumentId.of("poison.txt")))).isEmpty();
  }

  @Test
  void textTheModelRejects_failsPermanently_notRetriably() {
    source.put("a.txt", "fine words here").put("rejected.txt", "REJECTED by the model");
    model.failPermanently(t -> t.contains("REJECTED"));
    IngestReport report = service.ingest(fetch("a.txt", "rejected.txt"));
    assertThat(report.indexed()).isEqualTo(1);
    assertThat(report.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FailureReason.EMBEDDING_REJECTED);
              assertThat(f.reason().retriable()).isFalse();
            });
  }

  @Test
  void storeFailure_failsOnlyItsDocument() {
    source
        .put("a.txt", "fine words here")
        .put("b.txt", "store refuses this")
        .put("c.txt", "more fine words");
    store.failWritesOf(id -> id.value().equals("b.txt"));
    IngestReport report = service.ingest(fetch("a.txt", "b.txt", "c.txt"));
    assertThat(report.outcomes())
        .extracting(o -> o.getClass().getSimpleName())
        .containsExactly("Indexed", "Failed", "Indexed");
    assertThat(report.failures().get(0).reason()).isEqualTo(FailureReason.STORE_FAILED);
    assertThat(report.hasRetriableFailures()).isTrue();
  }

  @Test
  void stopRequestedAfterAWindow_marksTheRestNotStarted() {
    service = service(new IngestSettings(ChunkingPolicy.defaults(), 1 << 20, 1 << 20, 100, 2));
    for (int i = 0; i < 6; i++) {
      source.put("d" + i + ".txt", "document number " + i);
    }
    IngestCommand command =
        new IngestCommand(
            fetch("d0.txt", "d1.txt", "d2.txt", "d3.txt", "d4.txt", "d5.txt").documents(),
            () -> store.writeCalls() >= 1); // the first window (2 documents) is written
    IngestReport report = service.ingest(command);
    assertThat(report.outcomes())
        .extracting(o -> o.getClass().getSimpleName())
        .containsExactly("Indexed", "Indexed", "Failed", "Failed", "Failed", "Failed");
    assertThat(report.failures())
        .allSatisfy(f -> assertThat(f.reason()).isEqualTo(FailureReason.NOT_STARTED));
    assertThat(source.fetches()).isEqualTo(2);
    assertThat(store.count()).isEqualTo(2);
  }

  @Test
  void inlineDocuments_areIndexedWithTheirMetadata() {
    Document doc =
        Document.ofText(DocumentId.of("inline-1"), "posted over HTTP", Map.of("team", "search"));
    service.ingest(IngestCommand.of(List.of(new IngestRequest.Inline(doc))));
    assertThat(store.snapshot().values())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.payload().metadata()).containsEntry("team", "search");
              assertThat(p.payload().source()).isEqualTo("inline:inline-1");
            });
  }

  @Test
  void aModelOfAnotherDimension_isRefusedAtConstruction() {
    assertThatThrownBy(
            () ->
                new IngestDocumentsService(
                    source,
                    List.of(),
                    new WordHashEmbeddingModel(32, 32),
                    store,
                    IngestionListener.NONE,
                    IngestSettings.defaults()))
        .hasMessageContaining("32-dimensional")
        .hasMessageContaining("64");
  }

  @Test
  void duplicateIdsInOneCommand_areACallerError() {
    assertThatThrownBy(() -> fetch("a.txt", "a.txt")).hasMessageContaining("twice");
  }

  @Test
  void stopDuringAWindow_writesTheFinishedDocuments_andReportsTheUnfinishedNotStarted() {
    service =
        service(
            new IngestSettings(
                new ChunkingPolicy(16, 4, ChunkingPolicy.Mode.SPLIT),
                IngestSettings.DEFAULT_MAX_DOCUMENT_BYTES,
                IngestSettings.DEFAULT_MAX_TEXT_CHARS,
                IngestSettings.DEFAULT_MAX_CHUNKS_PER_DOCUMENT,
                4));
    String[] ids = {"a.txt", "b.txt", "c.txt", "d.txt"};
    for (String id : ids) {
      source.put(id, words(id.substring(0, 1) + "word", 60)); // several calls' worth of chunks
    }
    // The stop comes once the model has been called three times, in the middle of one window.
    IngestReport report =
        service.ingest(new IngestCommand(fetch(ids).documents(), () -> model.calls() >= 3));

    assertThat(model.textsEmbedded()).isLessThanOrEqualTo(12);
    List<DocumentOutcome> outcomes = report.outcomes();
    assertThat(outcomes.getFirst()).isInstanceOf(DocumentOutcome.Indexed.class);
    assertThat(outcomes.getLast())
        .isEqualTo(
            new DocumentOutcome.Failed(
                DocumentId.of("d.txt"),
                FailureReason.NOT_STARTED,
                "the run stopped (deadline or shutdown) before this document was finished;"
                    + " nothing of it was written"));
    long indexedChunks =
        outcomes.stream()
            .filter(o -> o instanceof DocumentOutcome.Indexed)
            .mapToInt(o -> ((DocumentOutcome.Indexed) o).chunks())
            .sum();
    assertThat(store.count()).isEqualTo(indexedChunks); // nothing of an unfinished one
    assertThat(report.hasRetriableFailures()).isTrue();
  }

  @Test
  void documentThatNowFailsPermanently_losesItsOldVersion_andATransientFailureKeepsIt() {
    source.put("empty.txt", "once had words").put("gone.txt", "once there");
    source.put("flaky.txt", "still here").put("binary.txt", "was text");
    service.ingest(fetch("empty.txt", "gone.txt", "flaky.txt", "binary.txt"));
    assertThat(store.count()).isEqualTo(4);

    source.put("empty.txt", "").remove("gone.txt").put("binary.txt", new byte[] {0, 1, 2, 0});
    source.failFetchOf("flaky.txt", FailureReason.SOURCE_UNAVAILABLE);
    IngestReport report = service.ingest(fetch("empty.txt", "gone.txt", "flaky.txt", "binary.txt"));

    assertThat(report.failures())
        .extracting(DocumentOutcome.Failed::reason)
        .containsExactly(
            FailureReason.EMPTY,
            FailureReason.NOT_FOUND,
            FailureReason.SOURCE_UNAVAILABLE,
            FailureReason.BINARY);
    assertThat(store.storedHashes(ids("empty.txt", "gone.txt", "flaky.txt", "binary.txt")))
        .containsOnlyKeys(DocumentId.of("flaky.txt"));
    assertThat(report.failures().getFirst().detail()).endsWith("its previous version was removed");
  }

  @Test
  void whenRemovingAnOldVersionFails_theDocumentFailsRetriably() {
    source.put("empty.txt", "once had words");
    service.ingest(fetch("empty.txt"));
    source.put("empty.txt", "");
    store.failDeletes(true);

    IngestReport report = service.ingest(fetch("empty.txt"));

    assertThat(report.failures().getFirst().reason()).isEqualTo(FailureReason.STORE_FAILED);
    assertThat(store.count()).isEqualTo(1);
  }

  @Test
  void
      documentRemovedFromItsSourceWhileBeingWritten_isRemovedAgain_whenTheRequestAsksForARecheck() {
    source.put("kept.txt", "stays in the bucket").put("vanishing.txt", "deleted meanwhile");
    // The source loses vanishing.txt right after it was read: its removal (applied by another
    // process while this one embeds) left no trace in the store, which this write then fills.
    DocumentSource racing =
        (ref, maxBytes) -> {
          var document = source.fetch(ref, maxBytes);
          if (ref.id().value().equals("vanishing.txt") && maxBytes > 0) {
            source.remove("vanishing.txt");
          }
          return document;
        };
    IngestDocumentsService rechecking =
        new IngestDocumentsService(
            racing,
            List.of(MapSource.PLAIN_TEXT),
            model,
            store,
            IngestionListener.NONE,
            IngestSettings.defaults(),
            stamps);
    IngestCommand command =
        IngestCommand.of(
            Stream.of("kept.txt", "vanishing.txt")
                .<IngestRequest>map(id -> new IngestRequest.Fetch(MapSource.ref(id), true))
                .toList());

    IngestReport report = rechecking.ingest(command);

    assertThat(report.outcomes().get(0)).isInstanceOf(DocumentOutcome.Indexed.class);
    assertThat(report.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.reason()).isEqualTo(FailureReason.NOT_FOUND);
              assertThat(f.detail()).endsWith("its previous version was removed");
            });
    assertThat(store.storedHashes(ids("kept.txt", "vanishing.txt")))
        .containsOnlyKeys(DocumentId.of("kept.txt"));
  }

  @Test
  void rechecksAfterAWindowsWrite_areAskedAtOnce_atMostEightAtATime_andStillRemoveWhatIsGone()
      throws Exception {
    int documents = 12;
    int bound = IngestDocumentsService.RECHECK_CONCURRENCY;
    for (int i = 0; i < documents; i++) {
      source.put("d" + i + ".txt", "document number " + i);
    }
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger mostInFlight = new AtomicInteger();
    // Each recheck waits until `bound` of them are in flight together (or 10 s have passed, once):
    // asked one after another, the first would wait alone.
    CountDownLatch boundReached = new CountDownLatch(bound);
    AtomicBoolean waitedInVain = new AtomicBoolean();
    DocumentSource slow =
        (ref, maxBytes) -> {
          if (maxBytes > 0) {
            var document = source.fetch(ref, maxBytes);
            if (ref.id().value().equals("d5.txt")) {
              source.remove("d5.txt"); // removed while this process embeds and writes it
            }
            return document;
          }
          int now = inFlight.incrementAndGet();
          mostInFlight.accumulateAndGet(now, Math::max);
          try {
            boundReached.countDown();
            if (!waitedInVain.get() && !boundReached.await(10, TimeUnit.SECONDS)) {
              waitedInVain.set(true);
            }
            return source.fetch(ref, maxBytes);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
          } finally {
            inFlight.decrementAndGet();
          }
        };
    IngestDocumentsService rechecking =
        new IngestDocumentsService(
            slow,
            List.of(MapSource.PLAIN_TEXT),
            model,
            store,
            IngestionListener.NONE,
            IngestSettings.defaults(),
            stamps);
    IngestCommand command =
        IngestCommand.of(
            java.util.stream.IntStream.range(0, documents)
                .<IngestRequest>mapToObj(
                    i -> new IngestRequest.Fetch(MapSource.ref("d" + i + ".txt"), true))
                .toList());

    IngestReport report = rechecking.ingest(command);

    assertThat(waitedInVain).as("%d rechecks were in flight together", bound).isFalse();
    assertThat(mostInFlight.get()).isEqualTo(bound);
    assertThat(report.failures())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.documentId()).isEqualTo(DocumentId.of("d5.txt"));
              assertThat(f.reason()).isEqualTo(FailureReason.NOT_FOUND);
            });
    assertThat(report.outcomes()).hasSize(documents);
    assertThat(store.storedHashes(ids("d4.txt", "d5.txt", "d6.txt")))
        .containsOnlyKeys(DocumentId.of("d4.txt"), DocumentId.of("d6.txt"));
  }

  @Test
  void withoutARecheck_theSourceIsReadOncePerDocument() {
    source.put("a.txt", "one read");
    int before = source.fetches();
    service.ingest(fetch("a.txt"));
    assertThat(source.fetches() - before).isEqualTo(1);
  }

  private static List<DocumentId> ids(String... ids) {
    return Stream.of(ids).map(DocumentId::of).toList();
  }

  @Test
  void aWindowWhoseTextPassesTheTextLimit_isEmbeddedAndWrittenInParts_notHeldWhole() {
    // Six documents of ~1,000 chars in one window (batch 64): with a 2,000-char text limit, no more
    // than about two documents' chunks are held before they are embedded and written.
    for (int i = 0; i < 6; i++) {
      source.put("d" + i + ".txt", words("doc" + i + "word", 120));
    }
    IngestDocumentsService small =
        service(
            new IngestSettings(
                new ChunkingPolicy(16, 4, ChunkingPolicy.Mode.SPLIT), 1 << 20, 2_000, 1_000, 64));

    IngestReport report =
        small.ingest(fetch("d0.txt", "d1.txt", "d2.txt", "d3.txt", "d4.txt", "d5.txt"));

    assertThat(report.outcomes()).allMatch(o -> o instanceof DocumentOutcome.Indexed);
    assertThat(store.writeCalls()).as("writes of one window").isGreaterThanOrEqualTo(3);
    assertThat(model.calls()).as("embedding calls of one window").isGreaterThanOrEqualTo(3);
  }

  @Test
  void everyStageOfADocument_isReportedInOrder_withItsSize_andAFailedDocumentStopsAtItsStage() {
    source.put("a.txt", words("alpha", 40)).put("empty.txt", " \n ");
    List<String> stages = new java.util.ArrayList<>();
    IngestionListener listener =
        new IngestionListener() {
          @Override
          public void stageFinished(
              DocumentId document, Stage stage, long size, java.time.Duration took) {
            assertThat(took.isNegative()).isFalse();
            stages.add(document.value() + " " + stage + " " + size);
          }
        };
    IngestReport report =
        new IngestDocumentsService(
                source,
                List.of(MapSource.PLAIN_TEXT),
                model,
                store,
                listener,
                IngestSettings.defaults()
                    .withChunking(new ChunkingPolicy(16, 4, ChunkingPolicy.Mode.SPLIT)))
            .ingest(fetch("a.txt", "empty.txt"));
    int chunks = ((DocumentOutcome.Indexed) report.outcomes().get(0)).chunks();
    String text = words("alpha", 40);
    assertThat(stages.stream().filter(s -> s.startsWith("a.txt")))
        .containsExactly(
            "a.txt FETCH " + text.length(),
            "a.txt EXTRACT " + text.length(),
            "a.txt CHUNK " + chunks,
            "a.txt EMBED " + chunks,
            "a.txt WRITE " + chunks);
    assertThat(stages.stream().filter(s -> s.startsWith("empty.txt")))
        .containsExactly("empty.txt FETCH 3", "empty.txt EXTRACT 3");
  }
}
