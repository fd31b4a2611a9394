package io.docpipe.core.service;

import io.docpipe.core.chunking.Chunker;
import io.docpipe.core.model.Chunk;
import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.model.Printable;
import io.docpipe.core.model.StopSignal;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.IngestionListener.Stage;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.SourceException;
import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.core.port.out.WriteStamps;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Ingests documents in windows: fetch and hash each document, skip those whose stored hash is the
 * same, extract and chunk the rest, embed all their chunks together, then write them. A document is
 * written only once all of its chunks are embedded, so a crash never leaves half of a new version
 * visible beside nothing to retry.
 */
public final class IngestDocumentsService implements IngestDocuments {

  private static final System.Logger LOG = System.getLogger(IngestDocumentsService.class.getName());

  /**
   * Bumped when the way docpipe turns a document into points changes, so that every document is
   * re-indexed once instead of being reported unchanged.
   */
  static final String PIPELINE_VERSION = "1";

  /** Most rechecks of the source asked at once after a write (ADR 0027). */
  static final int RECHECK_CONCURRENCY = 8;

  private final DocumentSource source;
  private final List<TextExtractor> extractors;
  private final EmbeddingModel model;
  private final VectorStore store;
  private final IngestionListener listener;
  private final IngestSettings settings;
  private final WriteStamps stamps;
  private final Chunker chunker;
  private final byte[] pipelineFingerprint;

  /**
   * A service whose write stamps come from a clock of its own: writes of this service are ordered
   * among themselves; another service writing the same store in this process should share one
   * {@link WriteStamps} (the constructor below), as the runtimes' graphs do.
   */
  public IngestDocumentsService(
      DocumentSource source,
      List<TextExtractor> extractors,
      EmbeddingModel model,
      VectorStore store,
      IngestionListener listener,
      IngestSettings settings) {
    this(
        source,
        extractors,
        model,
        store,
        listener,
        settings,
        new WriteStamps(InstantSource.system()));
  }

  /** A service that stamps each document read with {@code stamps} (ADR 0027). */
  public IngestDocumentsService(
      DocumentSource source,
      List<TextExtractor> extractors,
      EmbeddingModel model,
      VectorStore store,
      IngestionListener listener,
      IngestSettings settings,
      WriteStamps stamps) {
    this.stamps = Objects.requireNonNull(stamps, "stamps");
    this.source = Objects.requireNonNull(source, "source");
    this.extractors = List.copyOf(extractors);
    this.model = Objects.requireNonNull(model, "model");
    this.store = Objects.requireNonNull(store, "store");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (model.dimension() != store.dimension()) {
      throw new IllegalArgumentException(
          "embedding model "
              + model.modelId()
              + " makes "
              + model.dimension()
              + "-dimensional vectors but the vector store holds "
              + store.dimension()
              + ": use a new index (or collection) for a different model");
    }
    this.chunker =
        new Chunker(settings.chunking().cappedTo(model.maxInputTokens()), model.tokenCounter());
    String fingerprint =
        String.join(
            "\u0000",
            PIPELINE_VERSION,
            model.modelId(),
            Integer.toString(model.dimension()),
            chunker.policy().toString());
    this.pipelineFingerprint = fingerprint.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public IngestReport ingest(IngestCommand command) {
    List<IngestRequest> requests = command.documents();
    DocumentOutcome[] outcomes = new DocumentOutcome[requests.size()];
    long embedded = 0;
    int next = 0;
    while (next < requests.size()) {
      Window window = new Window();
      while (next < requests.size() && !window.full()) {
        if (command.stop().stopRequested()) {
          break;
        }
        IngestRequest request = requests.get(next);
        window.add(next, prepare(request));
        next++;
      }
      if (window.isEmpty()) {
        break; // stop requested before anything else was started
      }
      embedded += process(window, outcomes, command.stop());
    }
    for (int i = next; i < requests.size(); i++) {
      outcomes[i] =
          new DocumentOutcome.Failed(
              requests.get(i).documentId(),
              FailureReason.NOT_STARTED,
              "the run stopped (deadline or shutdown) before this document was started");
      listener.documentFinished(outcomes[i], Duration.ZERO);
    }
    return new IngestReport(Arrays.asList(outcomes), embedded);
  }

  /** A document on its way through one window. */
  private static final class Pending {
    final DocumentId id;
    final long startNanos;

    /** Taken before its source is read: how new the version read is (ADR 0027). */
    final long stamp;

    /** Where to ask again after writing whether the source still has it, or null (no recheck). */
    @Nullable DocumentRef recheck;

    long embedStartNanos = -1; // when the first call that embeds any of its chunks started
    @Nullable Document document;
    @Nullable ContentHash hash;
    List<Chunk> chunks = List.of();
    List<float[]> vectors = List.of();
    @Nullable DocumentOutcome outcome; // set once the document is done

    Pending(DocumentId id, long stamp) {
      this.id = id;
      this.startNanos = System.nanoTime();
      this.stamp = stamp;
    }

    void fail(FailureReason reason, String detail) {
      outcome = new DocumentOutcome.Failed(id, reason, detail);
    }

    /** The fetched document: set for every pending document that has no outcome yet. */
    Document fetched() {
      return java.util.Objects.requireNonNull(document, "document not fetched");
    }

    /** The fetched document's hash: set together with {@link #document}. */
    ContentHash fetchedHash() {
      return java.util.Objects.requireNonNull(hash, "document not fetched");
    }
  }

  private final class Window {
    final List<Integer> positions = new ArrayList<>();
    final List<Pending> pending = new ArrayList<>();
    long bytes;

    void add(int position, Pending p) {
      positions.add(position);
      pending.add(p);
      if (p.document != null) {
        bytes += p.document.content().size();
      }
    }

    boolean isEmpty() {
      return pending.isEmpty();
    }

    /** Bounded by documents and bytes, so a stop request waits for little work. */
    boolean full() {
      return pending.size() >= settings.embeddingBatchSize()
          || bytes >= Math.max(settings.maxDocumentBytes(), 8L * 1024 * 1024);
    }
  }

  private Pending prepare(IngestRequest request) {
    Pending p = new Pending(request.documentId(), stamps.next());
    try {
      p.document =
          switch (request) {
            case IngestRequest.Inline inline -> inline.document();
            case IngestRequest.Fetch fetch -> {
              if (fetch.recheckAfterWrite()) {
                DocumentRef ref = fetch.ref();
                // No size hint: the recheck must ask the source, not trust what the event said.
                p.recheck = new DocumentRef(ref.id(), ref.location(), ref.metadata(), null);
              }
              yield source.fetch(fetch.ref(), settings.maxDocumentBytes());
            }
          };
      if (!p.document.id().equals(p.id)) {
        p.fail(
            FailureReason.INVALID_INPUT,
            "the source returned document " + p.document.id() + " for " + p.id);
      } else if (p.document.content().size() > settings.maxDocumentBytes()) {
        p.fail(
            FailureReason.TOO_LARGE,
            "document is "
                + p.document.content().size()
                + " bytes; the limit is "
                + settings.maxDocumentBytes());
      } else if (p.document.content().isEmpty()) {
        p.fail(FailureReason.EMPTY, "document is empty (0 bytes)");
      } else {
        p.hash = documentHash(p.document);
      }
    } catch (SourceException e) {
      p.fail(e.reason(), e.getMessage() == null ? e.toString() : e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "fetching " + p.id + " failed unexpectedly", e);
      p.fail(FailureReason.SOURCE_UNAVAILABLE, "fetching failed: " + e);
    }
    stage(p, Stage.FETCH, p.document == null ? 0 : p.document.content().size(), p.startNanos);
    return p;
  }

  /** SHA-256 over the pipeline fingerprint, source, media type, metadata and content bytes. */
  ContentHash documentHash(Document document) {
    MessageDigest digest = ContentHash.sha256();
    digest.update(pipelineFingerprint);
    update(digest, document.source().toString());
    update(digest, document.mediaType());
    for (Map.Entry<String, String> e : document.metadata().entrySet()) {
      update(digest, e.getKey());
      update(digest, e.getValue());
    }
    document.content().updateDigest(digest);
    return new ContentHash(HexFormat.of().formatHex(digest.digest()));
  }

  private static void update(MessageDigest digest, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    digest.update((byte) 0);
    digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
    digest.update((byte) ':');
    digest.update(bytes);
  }

  /**
   * Runs one window: every document in it ends with an outcome. A stop request is asked before each
   * extraction and each call to the model; once it is there, the documents not yet fully embedded
   * end {@code NOT_STARTED} (nothing of them written, retriable) and the finished ones are written,
   * so a deadline waits for one model call and one write, never for the whole window.
   */
  private long process(Window window, DocumentOutcome[] outcomes, StopSignal stop) {
    skipUnchanged(window.pending);
    // The window is bounded in documents and fetched bytes; the text extracted from it is bounded
    // too: once the chunk text held reaches one document's text limit, what is extracted so far is
    // embedded and written before the next document is extracted (at most two documents' text).
    long embedded = 0;
    List<Pending> extracted = new ArrayList<>();
    long heldChars = 0;
    for (Pending p : window.pending) {
      if (p.outcome != null) {
        continue;
      }
      if (stop.stopRequested()) {
        stopUnfinished(p);
        continue;
      }
      extractAndChunk(p);
      if (p.outcome == null) {
        extracted.add(p);
        heldChars += p.chunks.stream().mapToLong(c -> c.text().length()).sum();
      }
      if (heldChars >= settings.maxTextChars()) {
        embedded += embedAndWrite(extracted, stop);
        extracted.clear();
        heldChars = 0;
      }
    }
    embedded += embedAndWrite(extracted, stop);
    removeWhatFailedPermanently(window.pending);
    for (int i = 0; i < window.pending.size(); i++) {
      Pending p = window.pending.get(i);
      DocumentOutcome outcome = Objects.requireNonNull(p.outcome, "every document has an outcome");
      outcomes[window.positions.get(i)] = outcome;
      if (outcome instanceof DocumentOutcome.Failed f) {
        LOG.log(
            System.Logger.Level.INFO,
            "document {0} failed: {1} ({2})",
            Printable.of(p.id),
            f.reason(),
            Printable.of(f.detail()));
      }
      listener.documentFinished(outcome, Duration.ofNanos(System.nanoTime() - p.startNanos));
    }
    return embedded;
  }

  private long embedAndWrite(List<Pending> extracted, StopSignal stop) {
    long embedded = embed(extracted, stop);
    write(extracted);
    for (Pending p : extracted) {
      p.chunks = List.of(); // done: the outcome is all that is kept
      p.vectors = List.of();
    }
    return embedded;
  }

  private void skipUnchanged(List<Pending> pending) {
    List<DocumentId> ids = pending.stream().filter(p -> p.outcome == null).map(p -> p.id).toList();
    if (ids.isEmpty()) {
      return;
    }
    Map<DocumentId, ContentHash> stored;
    try {
      stored = store.storedHashes(ids);
    } catch (VectorStoreException e) {
      for (Pending p : pending) {
        if (p.outcome == null) {
          p.fail(FailureReason.STORE_FAILED, "reading stored hashes failed: " + e.getMessage());
        }
      }
      return;
    }
    for (Pending p : pending) {
      if (p.outcome == null && p.fetchedHash().equals(stored.get(p.id))) {
        p.outcome = new DocumentOutcome.Unchanged(p.id);
      }
    }
  }

  private void extractAndChunk(Pending p) {
    Document document = p.fetched();
    TextExtractor extractor =
        extractors.stream().filter(x -> x.supports(document.mediaType())).findFirst().orElse(null);
    if (extractor == null) {
      p.fail(
          FailureReason.UNSUPPORTED_MEDIA_TYPE,
          "no text extractor for media type " + document.mediaType());
      return;
    }
    String text;
    long extractStart = System.nanoTime();
    try {
      text = extractor.extract(document, settings.maxTextChars());
    } catch (ExtractionException e) {
      p.fail(e.reason(), e.getMessage() == null ? e.toString() : e.getMessage());
      stage(p, Stage.EXTRACT, 0, extractStart);
      return;
    } catch (RuntimeException | StackOverflowError e) {
      p.fail(FailureReason.EXTRACTION_FAILED, "extraction failed: " + e);
      stage(p, Stage.EXTRACT, 0, extractStart);
      return;
    }
    stage(p, Stage.EXTRACT, text.length(), extractStart);
    if (text.length() > settings.maxTextChars()) {
      p.fail(
          FailureReason.TOO_LARGE,
          "extracted text is " + text.length() + " chars; the limit is " + settings.maxTextChars());
      return;
    }
    if (text.isBlank()) {
      p.fail(FailureReason.EMPTY, "no text after extraction");
      return;
    }
    long chunkStart = System.nanoTime();
    List<Chunk> chunks = chunker.chunk(p.id, text);
    stage(p, Stage.CHUNK, chunks.size(), chunkStart);
    if (chunks.isEmpty()) {
      p.fail(FailureReason.EMPTY, "no text after extraction");
    } else if (chunks.size() > settings.maxChunksPerDocument()) {
      p.fail(
          FailureReason.TOO_LARGE,
          "document makes "
              + chunks.size()
              + " chunks; the limit is "
              + settings.maxChunksPerDocument());
    } else {
      p.chunks = chunks;
    }
  }

  private static void stopUnfinished(Pending p) {
    p.fail(
        FailureReason.NOT_STARTED,
        "the run stopped (deadline or shutdown) before this document was finished;"
            + " nothing of it was written");
  }

  /**
   * Embeds the window's chunks in calls of at most {@code embeddingBatchSize} texts, in document
   * order, asking the stop signal before each call. A failed call is retried document by document
   * for its texts, so only a document the model cannot embed fails.
   */
  private long embed(List<Pending> pending, StopSignal stop) {
    List<Pending> todo = pending.stream().filter(p -> p.outcome == null).toList();
    for (Pending p : todo) {
      p.vectors = new ArrayList<>(p.chunks.size());
    }
    long embedded = 0;
    int doc = 0;
    int limit = settings.embeddingBatchSize();
    while (true) {
      while (doc < todo.size()
          && (todo.get(doc).outcome != null
              || todo.get(doc).vectors.size() == todo.get(doc).chunks.size())) {
        doc++;
      }
      if (doc >= todo.size()) {
        break;
      }
      if (stop.stopRequested()) {
        for (int i = doc; i < todo.size(); i++) {
          Pending p = todo.get(i);
          if (p.outcome == null && p.vectors.size() < p.chunks.size()) {
            stopUnfinished(p);
          }
        }
        break;
      }
      // The next call: the rest of this document, then whole or partial following documents.
      List<Pending> owners = new ArrayList<>();
      List<Integer> froms = new ArrayList<>();
      List<Integer> tos = new ArrayList<>();
      List<String> texts = new ArrayList<>();
      for (int i = doc; i < todo.size() && texts.size() < limit; i++) {
        Pending p = todo.get(i);
        if (p.outcome != null) {
          continue;
        }
        int from = p.vectors.size();
        int to = Math.min(p.chunks.size(), from + limit - texts.size());
        for (int c = from; c < to; c++) {
          texts.add(p.chunks.get(c).text());
        }
        owners.add(p);
        froms.add(from);
        tos.add(to);
      }
      long callStart = System.nanoTime();
      for (Pending p : owners) {
        if (p.embedStartNanos < 0) {
          p.embedStartNanos = callStart;
        }
      }
      try {
        List<float[]> vectors = embedChecked(texts);
        int at = 0;
        for (int o = 0; o < owners.size(); o++) {
          int n = tos.get(o) - froms.get(o);
          Pending p = owners.get(o);
          p.vectors.addAll(vectors.subList(at, at + n));
          at += n;
          if (p.vectors.size() == p.chunks.size()) {
            stage(p, Stage.EMBED, p.vectors.size(), p.embedStartNanos);
          }
        }
        embedded += texts.size();
      } catch (EmbeddingException e) {
        if (owners.size() == 1) {
          failEmbedding(owners.get(0), e);
          continue;
        }
        LOG.log(
            System.Logger.Level.WARNING,
            "embedding {0} texts of {1} documents failed ({2}); retrying them one by one",
            texts.size(),
            owners.size(),
            e.getMessage());
        for (int o = 0; o < owners.size(); o++) {
          Pending p = owners.get(o);
          try {
            List<float[]> vectors =
                embedChecked(
                    p.chunks.subList(froms.get(o), tos.get(o)).stream().map(Chunk::text).toList());
            p.vectors.addAll(vectors);
            embedded += vectors.size();
            if (p.vectors.size() == p.chunks.size()) {
              stage(p, Stage.EMBED, p.vectors.size(), p.embedStartNanos);
            }
          } catch (EmbeddingException single) {
            failEmbedding(p, single);
          }
        }
      }
    }
    return embedded;
  }

  private void failEmbedding(Pending p, EmbeddingException e) {
    p.fail(
        e.retriable() ? FailureReason.EMBEDDING_FAILED : FailureReason.EMBEDDING_REJECTED,
        "embedding failed: " + e.getMessage());
    stage(p, Stage.EMBED, p.vectors.size(), p.embedStartNanos);
  }

  /** Tells the listener that {@code p} finished {@code stage}, started at {@code startNanos}. */
  private void stage(Pending p, Stage stage, long size, long startNanos) {
    listener.stageFinished(
        p.id, stage, size, Duration.ofNanos(Math.max(0, System.nanoTime() - startNanos)));
  }

  private List<float[]> embedChecked(List<String> texts) {
    long start = System.nanoTime();
    List<float[]> vectors;
    try {
      vectors = model.embed(texts);
    } catch (EmbeddingException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new EmbeddingException("embedding model failed: " + e, true, e);
    }
    if (vectors.size() != texts.size()) {
      throw new EmbeddingException(
          "embedding model returned " + vectors.size() + " vectors for " + texts.size() + " texts",
          true);
    }
    for (float[] v : vectors) {
      if (v == null || v.length != model.dimension()) {
        throw new EmbeddingException(
            "embedding model returned a vector of length "
                + (v == null ? "null" : v.length)
                + ", expected "
                + model.dimension(),
            true);
      }
    }
    listener.chunksEmbedded(texts.size(), Duration.ofNanos(System.nanoTime() - start));
    return vectors;
  }

  /** Writes all embedded documents of the window in one call; on failure, one by one. */
  private void write(List<Pending> pending) {
    List<Pending> todo = pending.stream().filter(p -> p.outcome == null).toList();
    if (todo.isEmpty()) {
      return;
    }
    List<DocumentWrite> writes = new ArrayList<>();
    List<Pending> writable = new ArrayList<>();
    for (Pending p : todo) {
      try {
        writes.add(toWrite(p));
        writable.add(p);
      } catch (IllegalArgumentException e) {
        p.fail(FailureReason.EMBEDDING_FAILED, "invalid embedding: " + e.getMessage());
      }
    }
    if (writes.isEmpty()) {
      return;
    }
    long writeStart = System.nanoTime();
    try {
      timedWrite(writes);
      for (Pending p : writable) {
        p.outcome = new DocumentOutcome.Indexed(p.id, p.chunks.size());
        stage(p, Stage.WRITE, p.chunks.size(), writeStart);
      }
      recheckSource(writable);
      return;
    } catch (VectorStoreException e) {
      if (writes.size() == 1) {
        writable
            .get(0)
            .fail(
                FailureReason.STORE_FAILED,
                "writing to the vector store failed: " + e.getMessage());
        stage(writable.get(0), Stage.WRITE, 0, writeStart);
        return;
      }
      LOG.log(
          System.Logger.Level.WARNING,
          "writing {0} documents failed ({1}); retrying them one by one",
          writes.size(),
          e.getMessage());
    }
    for (int i = 0; i < writes.size(); i++) {
      Pending p = writable.get(i);
      long oneStart = System.nanoTime();
      try {
        timedWrite(List.of(writes.get(i)));
        p.outcome = new DocumentOutcome.Indexed(p.id, p.chunks.size());
        stage(p, Stage.WRITE, p.chunks.size(), oneStart);
      } catch (VectorStoreException e) {
        p.fail(FailureReason.STORE_FAILED, "writing to the vector store failed: " + e.getMessage());
        stage(p, Stage.WRITE, 0, oneStart);
      }
    }
    recheckSource(writable);
  }

  /**
   * A document read from its source may be removed from it while this process embeds and writes it,
   * and another process may apply that removal before this write lands: nothing would then ever
   * remove the version written (ADR 0027). For requests that ask for it, the source is asked again
   * once the write is done, reading no content (a fetch of at most 0 bytes: a document that is
   * there answers TOO_LARGE, or empty); a document gone by then loses the version just written and
   * any older one, while a version another process read later stays. Any other answer keeps the
   * write: the source has the document, or cannot say now and its next event decides.
   */
  private void recheckSource(List<Pending> written) {
    List<Pending> asked =
        written.stream()
            .filter(p -> p.recheck != null && p.outcome instanceof DocumentOutcome.Indexed)
            .toList();
    if (asked.isEmpty()) {
      return;
    }
    List<Boolean> gone = askAgain(asked);
    for (int i = 0; i < asked.size(); i++) {
      if (!gone.get(i)) {
        continue;
      }
      Pending p = asked.get(i);
      String why = "the source no longer has it (asked again after writing)";
      try {
        long removed = store.deleteOlderThan(p.id, p.stamp + 1);
        p.fail(
            FailureReason.NOT_FOUND,
            removed > 0 ? why + "; its previous version was removed" : why);
      } catch (RuntimeException e) {
        p.fail(
            FailureReason.STORE_FAILED,
            why + "; removing the version written failed: " + e.getMessage());
      }
    }
  }

  /**
   * Whether the source now answers NOT_FOUND for each of {@code asked}: one request each, mostly a
   * network round trip (S3: a GET answered with headers), so up to {@link #RECHECK_CONCURRENCY} are
   * asked at once, on virtual threads, rather than one after another.
   */
  private List<Boolean> askAgain(List<Pending> asked) {
    if (asked.size() == 1) {
      return List.of(isGone(asked.getFirst()));
    }
    List<Future<Boolean>> answers = new ArrayList<>(asked.size());
    try (ExecutorService threads =
        Executors.newFixedThreadPool(
            Math.min(asked.size(), RECHECK_CONCURRENCY),
            Thread.ofVirtual().name("docpipe-recheck-", 0).factory())) {
      for (Pending p : asked) {
        answers.add(threads.submit(() -> isGone(p)));
      }
    } // waits for every answer
    // A recheck that did not finish (the caller was interrupted) keeps the write, as any other
    // answer that does not say "gone" does.
    return answers.stream().map(a -> a.state() == Future.State.SUCCESS && a.resultNow()).toList();
  }

  private boolean isGone(Pending p) {
    try {
      source.fetch(Objects.requireNonNull(p.recheck, "recheck"), 0);
      return false;
    } catch (SourceException e) {
      return e.reason() == FailureReason.NOT_FOUND;
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "rechecking " + p.id + " failed unexpectedly", e);
      return false;
    }
  }

  /**
   * The index follows its source: a document that now fails for good (empty, binary, too large,
   * unreadable, gone, refused by the model…) loses the version indexed before, which no longer
   * stands for anything in the source. A retriable failure keeps it: the next try may mend it. If
   * the removal itself fails the document fails retriably, so that it is tried (and removed) again.
   */
  private void removeWhatFailedPermanently(List<Pending> pending) {
    List<Pending> failed =
        pending.stream()
            .filter(p -> p.outcome instanceof DocumentOutcome.Failed f && !f.reason().retriable())
            .toList();
    if (failed.isEmpty()) {
      return;
    }
    List<Pending> left = new ArrayList<>(failed);
    try {
      var stored = store.storedHashes(failed.stream().map(p -> p.id).toList()).keySet();
      for (Pending p : failed) {
        // Only versions read before this one: one another process read later stays (ADR 0027).
        if (stored.contains(p.id) && store.deleteOlderThan(p.id, p.stamp) > 0) {
          DocumentOutcome.Failed f = (DocumentOutcome.Failed) Objects.requireNonNull(p.outcome);
          p.outcome =
              new DocumentOutcome.Failed(
                  p.id, f.reason(), f.detail() + "; its previous version was removed");
        }
        left.remove(p);
      }
    } catch (RuntimeException e) {
      for (Pending p : left) {
        DocumentOutcome.Failed f = (DocumentOutcome.Failed) Objects.requireNonNull(p.outcome);
        p.fail(
            FailureReason.STORE_FAILED,
            f.detail() + "; removing its previous version failed: " + e.getMessage());
      }
    }
  }

  private void timedWrite(List<DocumentWrite> writes) {
    long start = System.nanoTime();
    try {
      store.write(writes);
    } catch (VectorStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new VectorStoreException("vector store failed: " + e, true, e);
    }
    int points = writes.stream().mapToInt(w -> w.points().size()).sum();
    listener.pointsWritten(points, Duration.ofNanos(System.nanoTime() - start));
  }

  private DocumentWrite toWrite(Pending p) {
    Document document = p.fetched();
    List<Point> points = new ArrayList<>(p.chunks.size());
    for (int i = 0; i < p.chunks.size(); i++) {
      Chunk c = p.chunks.get(i);
      PointPayload payload =
          new PointPayload(
              p.id,
              p.fetchedHash(),
              c.index(),
              c.text(),
              c.start(),
              c.end(),
              document.source().toString(),
              document.metadata());
      points.add(new Point(c.pointId(), p.vectors.get(i), payload));
    }
    return new DocumentWrite(p.id, p.fetchedHash(), points, p.stamp);
  }
}
