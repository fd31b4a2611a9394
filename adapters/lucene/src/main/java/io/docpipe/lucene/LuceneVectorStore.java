package io.docpipe.lucene;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.LexicalQuery;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.core.port.out.WriteStamps;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.FieldDoc;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.IOUtils;
import org.jspecify.annotations.Nullable;

/**
 * A {@link VectorStore} on one Lucene index: one Lucene document per point, a document's points
 * replaced together with {@link IndexWriter#updateDocuments} unless the stored version has a newer
 * write stamp, one commit per call, and a {@link SearcherManager} refreshed before each mutating
 * call returns.
 */
final class LuceneVectorStore implements VectorStore {

  private static final System.Logger LOG = System.getLogger(LuceneVectorStore.class.getName());

  /** Commit user data key holding the vector dimension of the index. */
  static final String DIMENSION_KEY = "docpipe.dimension";

  /**
   * Commit user data key naming the {@link LexicalAnalysis} of the index's {@code lexical} field.
   * Absent from an index written before lexical search: such an index answers dense searches only.
   */
  static final String LEXICAL_KEY = "docpipe.lexical";

  /** Commit user data key naming the embedding model whose vectors a new index holds. */
  static final String MODEL_KEY = "docpipe.model";

  /**
   * Approximate search asks the HNSW graph for at least this many candidates, then cuts to k: a
   * small k alone would explore too little of the graph. 60 is what a default hybrid search asks
   * for anyway (fusion depth 30 × oversampling 2), so it explores no further than it needs; at 100
   * the graph walk was 40% of a loaded search service's Java samples. On SciFact (k = 10, HNSW)
   * dense nDCG@10 is the same at 100, 60 and 40 (0.71564), lower at 20 (0.71087); hybrid the same
   * at 100, 60, 40 and 20 (0.72840). ADR 0031, addendum 2026-12-06.
   */
  static final int MIN_CANDIDATES = 60;

  /**
   * Largest index (points, deleted ones included) merged when writes go quiet. Merging rebuilds the
   * HNSW graph from the largest segment's: 10,000 points took 3.5 s, 50,000 took 11 s on a loaded
   * 2-core machine; past this size a merge would compete with searches for minutes, so it is left
   * to an explicit {@link #optimizeForSearch()} (the end of a batch job). ADR 0036.
   */
  static final long QUIET_MERGE_MAX_POINTS = 250_000;

  /**
   * Segments other than the largest must hold at least this share of the points before a quiet
   * merge runs, so that a trickle of single documents does not rewrite the whole index after each.
   * 1%, not 10%: four small segments of 2.5% each beside one of 90% still cost a search at 10,000
   * points 432–456 against 258–266 µs dense and 694–706 against 495–499 µs lexical (ADR 0036).
   */
  static final double QUIET_MERGE_MIN_SHARE_OUTSIDE_LARGEST = 0.01;

  /**
   * A write refused as older than the stored version by more than this is logged as a warning: two
   * readers of one document race by milliseconds, a clock that went back by much more.
   */
  static final long CLOCK_SKEW_WARNING_MILLIS = 60_000;

  /** What the last merge after quiet writes did; for logs and tests. */
  enum QuietMergeResult {
    /** Merged into one segment and committed. */
    MERGED,
    /** One segment already, or too little outside the largest one to be worth rewriting it. */
    NOT_NEEDED,
    /** Larger than {@link #QUIET_MERGE_MAX_POINTS}: left to an explicit optimize. */
    TOO_LARGE,
    /** The store closed while the merge ran: Lucene aborted it; the index is as last committed. */
    ABORTED,
    /**
     * The store closed after the merge ended but before its commit: the index is as last committed.
     */
    ABANDONED,
    /** The merge failed; the index is as last committed. */
    FAILED
  }

  private final Directory directory;
  private final String location;
  private final int dimension;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Analyzer analyzer;
  private final @Nullable QuietMerge quietMerge;
  private final AtomicLong quietMergeRuns = new AtomicLong();
  private volatile @Nullable QuietMergeRun lastQuietMerge;
  private volatile boolean quietMergeRunning;
  private boolean tooLargeLogged;

  /** Why this index cannot answer lexical searches, or null when it can. */
  private final @Nullable String lexicalProblem;

  /**
   * Writes share this lock, so documents are written concurrently; deletes and close take it alone,
   * so that a delete counts exactly the points it removes and close waits for writes.
   */
  private final ReadWriteLock mutations = new ReentrantReadWriteLock();

  /**
   * Locks by document id hash: a write of a document reads its stored stamp and replaces it while
   * holding its stripe, so two writers of one document are ordered by stamp, while writers of other
   * documents mostly go on at once.
   */
  private final ReentrantLock[] documentLocks = new ReentrantLock[64];

  /**
   * The stamp of each document replaced in the writer but perhaps not yet visible to the searcher:
   * what a concurrent writer of the same document compares its stamp with. A write removes its
   * entries once its refresh has made them visible; a write that failed before that leaves them
   * (its updates are in the writer) until a delete.
   */
  private final Map<DocumentId, Long> unrefreshedStamps = new ConcurrentHashMap<>();

  private volatile boolean closed;

  private LuceneVectorStore(
      Directory directory,
      String location,
      int dimension,
      IndexWriter writer,
      SearcherManager searchers,
      Analyzer analyzer,
      @Nullable String lexicalProblem,
      Duration mergeWhenQuietFor) {
    this.directory = directory;
    this.location = location;
    this.dimension = dimension;
    this.writer = writer;
    this.searchers = searchers;
    this.analyzer = analyzer;
    this.lexicalProblem = lexicalProblem;
    this.quietMerge =
        mergeWhenQuietFor.isZero()
            ? null
            : new QuietMerge(mergeWhenQuietFor, location, this::mergeIfWorthIt);
    for (int i = 0; i < documentLocks.length; i++) {
      documentLocks[i] = new ReentrantLock();
    }
  }

  /**
   * Opens (or creates) the index in {@code directory}; closes the directory on failure. With a
   * positive {@code mergeWhenQuietFor} the index merges into one segment once no write has come for
   * that long (ADR 0036); zero: only {@link #optimizeForSearch()} merges it whole.
   */
  static LuceneVectorStore open(
      Directory directory,
      String location,
      int dimension,
      @Nullable String modelId,
      Duration mergeWhenQuietFor) {
    IndexWriter writer = null;
    Analyzer analyzer = LexicalAnalysis.CHOSEN.analyzer();
    try {
      IndexWriterConfig config =
          new IndexWriterConfig(analyzer)
              .setCodec(HighDimensionVectorsFormat.codec())
              .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
              .setRAMBufferSizeMB(64);
      try {
        writer = new IndexWriter(directory, config);
      } catch (LockObtainFailedException e) {
        throw new VectorStoreException(
            "index at " + location + " is locked by another process (or another open store)",
            true,
            e);
      }
      String lexicalProblem = checkOrRecordFormat(writer, location, dimension, modelId);
      SearcherManager searchers = new SearcherManager(writer, null);
      LuceneVectorStore store =
          new LuceneVectorStore(
              directory,
              location,
              dimension,
              writer,
              searchers,
              analyzer,
              lexicalProblem,
              mergeWhenQuietFor);
      LOG.log(
          Level.DEBUG,
          "opened Lucene vector index at {0}: {1} dimensions, {2} points",
          location,
          String.valueOf(dimension),
          String.valueOf(writer.getDocStats().numDocs));
      return store;
    } catch (IOException | RuntimeException e) {
      closeAfterFailure(writer, directory, e);
      analyzer.close();
      if (e instanceof VectorStoreException vse) {
        throw vse;
      }
      if (e instanceof IOException io) {
        throw ioFailure(location, "be opened", io);
      }
      throw (RuntimeException) e;
    }
  }

  /**
   * Refuses an index of another dimension; records the dimension and the lexical analysis in a new
   * index. Returns why lexical search cannot run on this index (written before it, or with another
   * analysis), or null when it can.
   */
  private static @Nullable String checkOrRecordFormat(
      IndexWriter writer, String location, int dimension, @Nullable String modelId)
      throws IOException {
    Map<String, String> userData = new HashMap<>();
    Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
    if (live != null) {
      live.forEach(entry -> userData.put(entry.getKey(), entry.getValue()));
    }
    Integer stored = null;
    String recorded = userData.get(DIMENSION_KEY);
    if (recorded != null) {
      try {
        stored = Integer.valueOf(recorded);
      } catch (NumberFormatException e) {
        throw new VectorStoreException(
            "index at " + location + " records an unreadable dimension: '" + recorded + "'",
            false,
            e);
      }
    } else {
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        FieldInfo vectors = FieldInfos.getMergedFieldInfos(reader).fieldInfo(PointDocuments.VECTOR);
        if (vectors != null && vectors.getVectorDimension() > 0) {
          stored = vectors.getVectorDimension();
        }
      }
    }
    if (stored != null && stored != dimension) {
      throw new VectorStoreException(
          "index at "
              + location
              + " holds "
              + stored
              + "-dimensional vectors; cannot open it for "
              + dimension
              + " dimensions",
          false);
    }
    boolean record = recorded == null;
    if (recorded == null) {
      userData.put(DIMENSION_KEY, Integer.toString(dimension));
    }
    String model = userData.get(MODEL_KEY);
    boolean empty = writer.getDocStats().numDocs == 0;
    if (modelId != null && model != null && !model.equals(modelId) && !empty) {
      throw new VectorStoreException(
          "index at "
              + location
              + " holds vectors of the embedding model "
              + model
              + ", not "
              + modelId
              + ": choose that model again (DOCPIPE_ONNX_MODEL, DOCPIPE_EMBEDDING), or use another"
              + " index directory (DOCPIPE_INDEX_DIR, --index) for this one",
          false);
    }
    if (modelId != null && !modelId.equals(model) && empty) {
      userData.put(MODEL_KEY, modelId);
      record = true;
    }
    String lexical = userData.get(LEXICAL_KEY);
    String wanted = LexicalAnalysis.CHOSEN.id();
    String problem = null;
    if (lexical == null && empty) {
      userData.put(LEXICAL_KEY, wanted);
      record = true;
    } else if (lexical == null) {
      problem =
          "the index at "
              + location
              + " was written by a docpipe without lexical search, so it answers dense searches"
              + " only: search with --mode dense (HTTP \"mode\": \"dense\"), or re-index for"
              + " lexical and hybrid search (delete "
              + location
              + " and ingest again)";
    } else if (!lexical.equals(wanted)) {
      problem =
          "the index at "
              + location
              + " analyses text as "
              + lexical
              + " but this docpipe searches with "
              + wanted
              + ": search with --mode dense, or re-index (delete "
              + location
              + " and ingest again)";
    }
    if (record) {
      writer.setLiveCommitData(Map.copyOf(userData).entrySet());
      writer.commit();
    }
    if (problem != null) {
      LOG.log(Level.WARNING, problem);
    }
    return problem;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public void write(List<DocumentWrite> documents) {
    Objects.requireNonNull(documents, "documents");
    for (DocumentWrite document : documents) {
      for (Point point : document.points()) {
        float[] vector = point.vector();
        if (vector.length != dimension) {
          throw wrongDimension("point " + point.id() + " of " + document.documentId(), vector);
        }
        if (isZero(vector)) {
          throw new VectorStoreException(
              "point "
                  + point.id()
                  + " of "
                  + document.documentId()
                  + " has a zero vector: cosine is undefined",
              false);
        }
      }
    }
    if (documents.isEmpty()) {
      return;
    }
    mutations.readLock().lock();
    try {
      ensureOpen();
      Map<DocumentId, Long> replaced = new HashMap<>();
      for (DocumentWrite document : documents) {
        if (replaceUnlessOlder(document)) {
          replaced.put(document.documentId(), document.stamp());
        }
      }
      if (!replaced.isEmpty()) {
        commitAndRefresh();
        replaced.forEach(unrefreshedStamps::remove); // only if no newer write replaced the entry
        wrote();
      }
    } catch (IOException e) {
      throw ioFailure(location, "write " + documents.size() + " documents", e);
    } catch (AlreadyClosedException e) {
      throw closedFailure(e);
    } finally {
      mutations.readLock().unlock();
    }
  }

  /**
   * Replaces the document's points unless the stored version has the same or a newer stamp: a
   * version read earlier that arrives later changes nothing (ADR 0027; one process writes an index,
   * but several of its threads may write one document). Returns whether it replaced them.
   */
  private boolean replaceUnlessOlder(DocumentWrite document) throws IOException {
    DocumentId id = document.documentId();
    ReentrantLock lock = documentLocks[Math.floorMod(id.hashCode(), documentLocks.length)];
    lock.lock();
    try {
      Long unrefreshed = unrefreshedStamps.get(id);
      long stored = unrefreshed != null ? unrefreshed : storedStamp(id);
      if (stored >= document.stamp()) {
        long aheadMillis =
            WriteStamps.epochMillisOf(stored) - WriteStamps.epochMillisOf(document.stamp());
        if (aheadMillis > CLOCK_SKEW_WARNING_MILLIS) {
          // Not a race between two readers of one document (those are milliseconds apart): the
          // version kept was stamped by a clock ahead of this one, and until this clock passes it
          // every newer read of the document is refused.
          LOG.log(
              Level.WARNING,
              "{0} was read now but {1} holds a version stamped {2} s later; it keeps that version."
                  + " A clock that went back (or another machine's clock ahead) does this: re-ingest"
                  + " the document once the clocks agree, or delete it first",
              id,
              location,
              String.valueOf(aheadMillis / 1000));
        }
        LOG.log(
            Level.DEBUG,
            "{0} read at {1} is not written over its version read at {2} in {3}",
            id,
            String.valueOf(document.stamp()),
            String.valueOf(stored),
            location);
        return false;
      }
      writer.updateDocuments(PointDocuments.documentTerm(id), PointDocuments.toDocuments(document));
      unrefreshedStamps.put(id, document.stamp());
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * The stamp of the document's version the searcher sees: 0 when it has none (absent, or written
   * before stamps). One version is live at a time ({@code updateDocuments} replaces them whole), so
   * the first live point tells.
   */
  private long storedStamp(DocumentId id) throws IOException {
    BytesRef term = new BytesRef(id.value());
    IndexSearcher searcher = searchers.acquire();
    try {
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        LeafReader reader = leaf.reader();
        Terms terms = reader.terms(PointPayload.DOC_ID);
        if (terms == null) {
          continue;
        }
        TermsEnum termsEnum = terms.iterator();
        if (!termsEnum.seekExact(term)) {
          continue;
        }
        Bits live = reader.getLiveDocs();
        PostingsEnum postings = termsEnum.postings(null, PostingsEnum.NONE);
        for (int doc = postings.nextDoc();
            doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = postings.nextDoc()) {
          if (live == null || live.get(doc)) {
            NumericDocValues stamps = reader.getNumericDocValues(PointDocuments.WRITE_STAMP);
            return stamps != null && stamps.advanceExact(doc) ? stamps.longValue() : 0;
          }
        }
      }
      return 0;
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public Map<DocumentId, ContentHash> storedHashes(Collection<DocumentId> ids) {
    Objects.requireNonNull(ids, "ids");
    if (ids.isEmpty()) {
      return Map.of();
    }
    // Sorted by term bytes so every segment's terms are sought in order.
    TreeMap<BytesRef, DocumentId> pending = new TreeMap<>();
    for (DocumentId id : ids) {
      pending.put(new BytesRef(id.value()), id);
    }
    Map<DocumentId, ContentHash> hashes = new HashMap<>();
    return withSearcher(
        "read stored hashes",
        searcher -> {
          PostingsEnum postings = null;
          for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            LeafReader reader = leaf.reader();
            Terms terms = reader.terms(PointPayload.DOC_ID);
            if (terms == null) {
              continue;
            }
            TermsEnum termsEnum = terms.iterator();
            Bits live = reader.getLiveDocs();
            StoredFields stored = reader.storedFields();
            var it = pending.entrySet().iterator();
            while (it.hasNext()) {
              var entry = it.next();
              if (!termsEnum.seekExact(entry.getKey())) {
                continue;
              }
              postings = termsEnum.postings(postings, PostingsEnum.NONE);
              for (int doc = postings.nextDoc();
                  doc != DocIdSetIterator.NO_MORE_DOCS;
                  doc = postings.nextDoc()) {
                if (live == null || live.get(doc)) {
                  String hash =
                      stored
                          .document(doc, Set.of(PointPayload.DOC_HASH))
                          .get(PointPayload.DOC_HASH);
                  if (hash != null) {
                    hashes.put(entry.getValue(), new ContentHash(hash));
                    it.remove();
                  }
                  break;
                }
              }
            }
          }
          return hashes;
        });
  }

  /** Reads the stored id and source of every first chunk: a scan, for pruning a corpus. */
  @Override
  public Map<DocumentId, String> documentsBySource(String sourcePrefix) {
    Objects.requireNonNull(sourcePrefix, "sourcePrefix");
    Map<DocumentId, String> found = new HashMap<>();
    Set<String> fields = Set.of(PointPayload.DOC_ID, PointPayload.SOURCE, PointPayload.CHUNK_INDEX);
    withSearcher(
        "list documents by source",
        searcher -> {
          for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
            LeafReader reader = leaf.reader();
            Bits live = reader.getLiveDocs();
            StoredFields stored = reader.storedFields();
            for (int doc = 0; doc < reader.maxDoc(); doc++) {
              if (live != null && !live.get(doc)) {
                continue;
              }
              Document document = stored.document(doc, fields);
              var chunk = document.getField(PointPayload.CHUNK_INDEX);
              String source = document.get(PointPayload.SOURCE);
              String id = document.get(PointPayload.DOC_ID);
              if (chunk != null
                  && chunk.numericValue().intValue() == 0
                  && source != null
                  && id != null
                  && source.startsWith(sourcePrefix)) {
                found.put(DocumentId.of(id), source);
              }
            }
          }
          return found;
        });
    return found;
  }

  @Override
  public long delete(DocumentId id) {
    Objects.requireNonNull(id, "id");
    Term term = PointDocuments.documentTerm(id);
    return deleteMatching(
        new TermQuery(term), "document " + id, () -> writer.deleteDocuments(term));
  }

  /**
   * Removes the document's points of a stamp below {@code stamp}, and those written before stamps:
   * a version another thread read later stays (ADR 0027).
   */
  @Override
  public long deleteOlderThan(DocumentId id, long stamp) {
    Objects.requireNonNull(id, "id");
    Query older =
        new BooleanQuery.Builder()
            .add(new TermQuery(PointDocuments.documentTerm(id)), BooleanClause.Occur.FILTER)
            .add(
                NumericDocValuesField.newSlowRangeQuery(
                    PointDocuments.WRITE_STAMP, stamp, Long.MAX_VALUE),
                BooleanClause.Occur.MUST_NOT)
            .build();
    return deleteMatching(
        older, "document " + id + " read before " + stamp, () -> writer.deleteDocuments(older));
  }

  @Override
  public long delete(MetadataFilter filter) {
    Objects.requireNonNull(filter, "filter");
    Query query = PointDocuments.matchQuery(filter);
    return deleteMatching(query, "filter " + filter, () -> writer.deleteDocuments(query));
  }

  private interface IndexAction {
    void run() throws IOException;
  }

  /**
   * Merges the index into one segment. Each segment has its own HNSW graph and a search visits them
   * all, so a bulk load committed in many writes answers several times slower until merged
   * (measured at 100,000 vectors: 34 segments 17 ms p50, one segment 0.74 ms; docs/benchmarks.md).
   */
  @Override
  public void optimizeForSearch() {
    mutations.writeLock().lock();
    try {
      ensureOpen();
      long started = System.nanoTime();
      int before = segmentCount();
      if (before > 1) {
        writer.forceMerge(1);
        commitAndRefresh();
      }
      LOG.log(
          Level.DEBUG,
          "optimized {0} for search: {1} segments merged into 1 in {2} ms",
          location,
          String.valueOf(before),
          String.valueOf((System.nanoTime() - started) / 1_000_000));
    } catch (IOException e) {
      throw ioFailure(location, "merge the index for search", e);
    } catch (AlreadyClosedException e) {
      throw closedFailure(e);
    } finally {
      mutations.writeLock().unlock();
    }
  }

  private void wrote() {
    if (quietMerge != null) {
      quietMerge.wrote();
    }
  }

  /**
   * Runs on the quiet-merge thread, without the mutation lock: Lucene merges beside concurrent
   * writes and deletes (it carries deletes made during the merge over), and {@link #close()} must
   * not wait for a merge, which it aborts instead.
   */
  private void mergeIfWorthIt() {
    if (closed) {
      return;
    }
    long started = System.nanoTime();
    int segments = 0;
    long points = 0;
    try {
      long largest = 0;
      IndexSearcher searcher = searchers.acquire();
      try {
        for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
          segments++;
          points += leaf.reader().maxDoc();
          largest = Math.max(largest, leaf.reader().maxDoc());
        }
      } finally {
        searchers.release(searcher);
      }
      if (segments < 2 || points - largest < QUIET_MERGE_MIN_SHARE_OUTSIDE_LARGEST * points) {
        quietMergeEnded(QuietMergeResult.NOT_NEEDED);
        // One line per quiet period, as for a merge: what a reader of the log (or the benchmark
        // that waits for it) needs to know the index is settled.
        LOG.log(
            Level.INFO,
            "writes to {0} went quiet: {1} segments ({2} points), {3} points outside the largest:"
                + " left as they are",
            location,
            String.valueOf(segments),
            String.valueOf(points),
            String.valueOf(points - largest));
        return;
      }
      if (points > QUIET_MERGE_MAX_POINTS) {
        if (!tooLargeLogged) {
          tooLargeLogged = true;
          LOG.log(
              Level.INFO,
              "{0} holds {1} points in {2} segments: more than {3} are not merged when writes go"
                  + " quiet, so searches visit every segment until the index is optimized (the end"
                  + " of a batch job does it)",
              location,
              String.valueOf(points),
              String.valueOf(segments),
              String.valueOf(QUIET_MERGE_MAX_POINTS));
        }
        quietMergeEnded(QuietMergeResult.TOO_LARGE);
        return;
      }
      quietMergeRunning = true;
      try {
        writer.forceMerge(1);
      } finally {
        quietMergeRunning = false;
      }
      mutations.readLock().lock();
      try {
        if (closed) {
          quietMergeEnded(QuietMergeResult.ABANDONED);
          return;
        }
        commitAndRefresh();
      } finally {
        mutations.readLock().unlock();
      }
      quietMergeEnded(QuietMergeResult.MERGED);
      LOG.log(
          Level.INFO,
          "writes to {0} went quiet: {1} segments ({2} points) merged into 1 in {3} ms",
          location,
          String.valueOf(segments),
          String.valueOf(points),
          String.valueOf((System.nanoTime() - started) / 1_000_000));
    } catch (IOException | RuntimeException e) {
      if (closed) {
        quietMergeEnded(QuietMergeResult.ABORTED);
        LOG.log(Level.DEBUG, "merge of {0} aborted: the store closed", location);
      } else {
        quietMergeEnded(QuietMergeResult.FAILED);
        LOG.log(
            Level.WARNING,
            "could not merge "
                + location
                + " after writes went quiet; it stays as last committed and answers as before",
            e);
      }
    }
  }

  /** The {@code number}th merge after quiet writes (from 1) and what it did. */
  record QuietMergeRun(long number, QuietMergeResult result) {}

  private void quietMergeEnded(QuietMergeResult result) {
    lastQuietMerge = new QuietMergeRun(quietMergeRuns.incrementAndGet(), result);
  }

  /** The last merge after quiet writes, or null before the first one. */
  @Nullable QuietMergeRun lastQuietMerge() {
    return lastQuietMerge;
  }

  /** Whether a merge after quiet writes has asked Lucene to merge and Lucene is merging now. */
  boolean quietMergeInLucene() {
    return quietMergeRunning && !writer.getMergingSegments().isEmpty();
  }

  private int segmentCount() throws IOException {
    searchers.maybeRefreshBlocking();
    IndexSearcher searcher = searchers.acquire();
    try {
      return searcher.getIndexReader().leaves().size();
    } finally {
      searchers.release(searcher);
    }
  }

  private long deleteMatching(Query query, String what, IndexAction delete) {
    mutations.writeLock().lock();
    try {
      ensureOpen();
      searchers.maybeRefreshBlocking();
      IndexSearcher searcher = searchers.acquire();
      int count;
      try {
        count = searcher.count(query);
      } finally {
        searchers.release(searcher);
      }
      if (count > 0) {
        delete.run();
        commitAndRefresh();
        wrote();
      }
      // No write is in progress (this lock is exclusive): any entry left is a failed write's, and
      // the refreshed searcher now tells its document's state.
      unrefreshedStamps.clear();
      LOG.log(
          Level.DEBUG, "deleted {0} points of {1} from {2}", String.valueOf(count), what, location);
      return count;
    } catch (IOException e) {
      throw ioFailure(location, "delete the points of " + what, e);
    } catch (AlreadyClosedException e) {
      throw closedFailure(e);
    } finally {
      mutations.writeLock().unlock();
    }
  }

  @Override
  public List<SearchHit> search(VectorQuery query) {
    Objects.requireNonNull(query, "query");
    if (query.vector().length != dimension) {
      throw wrongDimension("query vector", query.vector());
    }
    float[] target = PointDocuments.unitLengthOrNull(query.vector());
    if (target == null) {
      throw new VectorStoreException("query vector is zero: cosine is undefined", false);
    }
    Query filter = PointDocuments.filterQuery(query.filter());
    Double minScore = query.minScore();
    // Scores are compared as floats while scanning; the exact cut is applied to the hits.
    float scanMin =
        minScore == null ? Float.NEGATIVE_INFINITY : Math.nextDown(minScore.floatValue());
    return withSearcher(
        "search",
        searcher -> {
          TopCandidates top = new TopCandidates(query.k(), scanMin);
          List<TopCandidates.Candidate> candidates =
              query.exact()
                  ? ExactScan.search(searcher, target, filter, top)
                  : approximate(searcher, target, filter, query.k(), top);
          return hits(searcher, candidates, query.k(), minScore);
        });
  }

  /**
   * BM25 over the {@code lexical} field: the query text analysed like the chunks, each distinct
   * term a clause boosted by its count in the query. Hits tied with the k-th are all read, so that
   * the cut at k follows point ids like every other ranking here.
   */
  @Override
  public List<SearchHit> searchText(LexicalQuery query) {
    Objects.requireNonNull(query, "query");
    ensureOpen();
    String problem = lexicalProblem;
    if (problem != null) {
      throw new VectorStoreException(problem, false);
    }
    Map<String, Integer> counts = new java.util.LinkedHashMap<>();
    for (String term : LexicalAnalysis.terms(analyzer, PointDocuments.LEXICAL, query.text())) {
      counts.merge(term, 1, Integer::sum);
    }
    if (counts.isEmpty()) {
      return List.of();
    }
    BooleanQuery.Builder words = new BooleanQuery.Builder();
    int clauses = 0;
    for (Map.Entry<String, Integer> term : counts.entrySet()) {
      if (++clauses > IndexSearcher.getMaxClauseCount()) {
        break; // a query of over a thousand distinct words: its first thousand decide
      }
      Query clause = new TermQuery(new Term(PointDocuments.LEXICAL, term.getKey()));
      words.add(
          term.getValue() == 1 ? clause : new BoostQuery(clause, term.getValue()),
          BooleanClause.Occur.SHOULD);
    }
    Query filter = PointDocuments.filterQuery(query.filter());
    Query lexical;
    if (filter == null) {
      lexical = words.build();
    } else {
      lexical =
          new BooleanQuery.Builder()
              .add(words.build(), BooleanClause.Occur.MUST)
              .add(filter, BooleanClause.Occur.FILTER)
              .build();
    }
    return withSearcher(
        "search text",
        searcher -> {
          int k = query.k();
          List<ScoreDoc> best;
          if (everySegmentHasIdValues(searcher)) {
            // One pass ordered by score, then point id: the cut at k needs no second search
            // however many hits tie (short texts that share their words tie by the hundred).
            // The hit count is not needed, so pruning may start once k hits are held (Lucene's
            // default counts the first thousand exactly), and each hit's score is its first sort
            // value: asking Lucene for scores would score every hit a second time.
            TopFieldDocs sorted =
                searcher.search(
                    lexical, new TopFieldCollectorManager(BY_SCORE_THEN_ID, k, null, k));
            best = new ArrayList<>(sorted.scoreDocs.length);
            for (ScoreDoc hit : sorted.scoreDocs) {
              best.add(new ScoreDoc(hit.doc, (Float) ((FieldDoc) hit).fields[0]));
            }
          } else {
            int want = k;
            TopDocs found = searcher.search(lexical, want);
            // While the last hit read ties with the k-th, more tied hits may follow: read them
            // too, so that ties are cut by point id rather than by Lucene's document order.
            int all = searcher.getIndexReader().maxDoc();
            while (found.scoreDocs.length == want
                && want < all
                && found.scoreDocs[want - 1].score == found.scoreDocs[k - 1].score) {
              want = (int) Math.min(all, 2L * want);
              found = searcher.search(lexical, want);
            }
            best = bestByScoreThenId(searcher, found.scoreDocs, k);
          }
          Map<Integer, HitPayloads.Hit> read =
              HitPayloads.read(searcher, best.stream().map(d -> d.doc).toList());
          List<SearchHit> hits = new ArrayList<>(best.size());
          for (ScoreDoc scoreDoc : best) {
            HitPayloads.Hit hit = Objects.requireNonNull(read.get(scoreDoc.doc), "read hit");
            hits.add(new SearchHit(hit.id(), scoreDoc.score, hit.payload()));
          }
          hits.sort(SearchHit.BEST_FIRST);
          return List.copyOf(hits);
        });
  }

  /** Relevance first, then the point id's doc values: {@link SearchHit#BEST_FIRST} in Lucene. */
  private static final Sort BY_SCORE_THEN_ID =
      new Sort(
          SortField.FIELD_SCORE,
          new SortField(PointDocuments.ID_HIGH, SortField.Type.LONG),
          new SortField(PointDocuments.ID_LOW, SortField.Type.LONG));

  /**
   * Whether every point can be ordered by {@link #BY_SCORE_THEN_ID}: false while the index holds
   * points written before the id's doc values, alone or merged with newer ones (a doc value's cost
   * is the number of documents that have it).
   */
  static boolean everySegmentHasIdValues(IndexSearcher searcher) throws IOException {
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      NumericDocValues high = leaf.reader().getNumericDocValues(PointDocuments.ID_HIGH);
      int documents = leaf.reader().maxDoc();
      if (documents > 0 && (high == null || high.cost() != documents)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The {@code k} best of {@code ranked} (score order, as Lucene returns them, every hit tied with
   * the k-th included) in {@link SearchHit#BEST_FIRST} order: the hits above the k-th score, then
   * the tied ones with the lowest point ids. Only the tied hits' ids are read, from doc values
   * where the segment has them: reading whole stored documents for every tied hit (thousands when
   * short texts share their words) was half of a loaded search service's time.
   */
  static List<ScoreDoc> bestByScoreThenId(IndexSearcher searcher, ScoreDoc[] ranked, int k)
      throws IOException {
    if (ranked.length <= k) {
      return List.of(ranked);
    }
    float cut = ranked[k - 1].score;
    int above = 0;
    while (ranked[above].score > cut) {
      above++;
    }
    int tiedEnd = above;
    while (tiedEnd < ranked.length && ranked[tiedEnd].score == cut) {
      tiedEnd++;
    }
    List<ScoreDoc> best = new ArrayList<>(k);
    for (int i = 0; i < above; i++) {
      best.add(ranked[i]);
    }
    PointIds ids = new PointIds(searcher);
    List<Map.Entry<String, ScoreDoc>> tied = new ArrayList<>(tiedEnd - above);
    for (int i = above; i < tiedEnd; i++) {
      tied.add(Map.entry(ids.of(ranked[i].doc), ranked[i]));
    }
    tied.sort(Map.Entry.comparingByKey());
    for (int i = 0; best.size() < k; i++) {
      best.add(tied.get(i).getValue());
    }
    return best;
  }

  /** Reads point ids by top-level doc id: from doc values, or stored fields in older segments. */
  private static final class PointIds {
    private final List<LeafReaderContext> leaves;
    private final StoredFields stored;

    PointIds(IndexSearcher searcher) throws IOException {
      this.leaves = searcher.getIndexReader().leaves();
      this.stored = searcher.storedFields();
    }

    String of(int doc) throws IOException {
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
      NumericDocValues high = leaf.reader().getNumericDocValues(PointDocuments.ID_HIGH);
      NumericDocValues low = leaf.reader().getNumericDocValues(PointDocuments.ID_LOW);
      if (high != null
          && low != null
          && high.advanceExact(doc - leaf.docBase)
          && low.advanceExact(doc - leaf.docBase)) {
        return new java.util.UUID(
                PointDocuments.unsignedOrder(high.longValue()),
                PointDocuments.unsignedOrder(low.longValue()))
            .toString();
      }
      String id = stored.document(doc, Set.of(PointDocuments.ID)).get(PointDocuments.ID);
      if (id == null) {
        throw new VectorStoreException("stored point has no 'id' field", false);
      }
      return id;
    }
  }

  private static List<TopCandidates.Candidate> approximate(
      IndexSearcher searcher, float[] target, @Nullable Query filter, int k, TopCandidates top)
      throws IOException {
    int candidates = Math.max(k, MIN_CANDIDATES);
    TopDocs found =
        searcher.search(
            new KnnFloatVectorQuery(PointDocuments.VECTOR, target, candidates, filter), candidates);
    for (ScoreDoc scoreDoc : found.scoreDocs) {
      top.offer(scoreDoc.doc, cosineOfLuceneScore(scoreDoc.score));
    }
    return top.bestFirst();
  }

  /** Inverts Lucene's dot-product score {@code max((1 + dot) / 2, 0)}. */
  static float cosineOfLuceneScore(float score) {
    return 2 * score - 1;
  }

  private static List<SearchHit> hits(
      IndexSearcher searcher,
      List<TopCandidates.Candidate> candidates,
      int k,
      @Nullable Double minScore)
      throws IOException {
    List<TopCandidates.Candidate> kept = new ArrayList<>(candidates.size());
    for (TopCandidates.Candidate candidate : candidates) {
      double score = Math.max(-1.0, Math.min(1.0, (double) candidate.score()));
      if (minScore == null || score >= minScore) {
        kept.add(candidate);
      }
    }
    Map<Integer, HitPayloads.Hit> read =
        HitPayloads.read(searcher, kept.stream().map(TopCandidates.Candidate::doc).toList());
    List<SearchHit> hits = new ArrayList<>(kept.size());
    for (TopCandidates.Candidate candidate : kept) {
      double score = Math.max(-1.0, Math.min(1.0, (double) candidate.score()));
      HitPayloads.Hit hit = Objects.requireNonNull(read.get(candidate.doc()), "read hit");
      hits.add(new SearchHit(hit.id(), score, hit.payload()));
    }
    hits.sort(SearchHit.BEST_FIRST);
    return hits.size() > k ? List.copyOf(hits.subList(0, k)) : List.copyOf(hits);
  }

  @Override
  public long count() {
    return withSearcher("count points", searcher -> (long) searcher.getIndexReader().numDocs());
  }

  @Override
  public void checkHealth() {
    ensureOpen();
    Throwable tragedy = writer.getTragicException();
    if (tragedy != null || !writer.isOpen()) {
      throw new VectorStoreException(
          "the Lucene index at " + location + " failed and needs reopening",
          false,
          tragedy == null ? new IllegalStateException("index writer closed") : tragedy);
    }
    count();
  }

  @Override
  public void close() {
    mutations.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      if (quietMerge != null) {
        quietMerge.close();
      }
      IOUtils.close(searchers, this::commitAndCloseWithoutWaitingForMerges, directory, analyzer);
      LOG.log(Level.DEBUG, "closed Lucene vector index at {0}", location);
    } catch (IOException e) {
      throw ioFailure(location, "be closed", e);
    } finally {
      mutations.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "LuceneVectorStore[" + location + ", dimension=" + dimension + "]";
  }

  private interface SearcherFunction<T> {
    T apply(IndexSearcher searcher) throws IOException;
  }

  private <T> T withSearcher(String action, SearcherFunction<T> function) {
    ensureOpen();
    try {
      IndexSearcher searcher = searchers.acquire();
      try {
        return function.apply(searcher);
      } finally {
        searchers.release(searcher);
      }
    } catch (IOException e) {
      throw ioFailure(location, action, e);
    } catch (AlreadyClosedException e) {
      throw closedFailure(e);
    }
  }

  /**
   * What {@link IndexWriter#close()} does, except that a running merge is aborted, not waited for:
   * a drain must not wait minutes for a merge to end. Every write and delete committed before it
   * returned, so the commit here holds only what a failed call left behind, as close would; the
   * rollback then discards just the merge's unfinished work.
   */
  private void commitAndCloseWithoutWaitingForMerges() throws IOException {
    try {
      writer.commit();
    } finally {
      writer.rollback();
    }
  }

  private void commitAndRefresh() throws IOException {
    writer.commit();
    searchers.maybeRefreshBlocking();
  }

  private VectorStoreException wrongDimension(String what, float[] vector) {
    return new VectorStoreException(
        what
            + " has "
            + vector.length
            + " dimensions; the store at "
            + location
            + " holds "
            + dimension,
        false);
  }

  private static boolean isZero(float[] vector) {
    for (float v : vector) {
      if (v != 0) {
        return false;
      }
    }
    return true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new VectorStoreException("the vector store at " + location + " is closed", false);
    }
  }

  private VectorStoreException closedFailure(AlreadyClosedException e) {
    return new VectorStoreException(
        closed
            ? "the vector store at " + location + " is closed"
            : "the Lucene index at " + location + " failed and was closed: " + e.getMessage(),
        false,
        e);
  }

  private static VectorStoreException ioFailure(String location, String action, IOException e) {
    boolean corrupt =
        e instanceof CorruptIndexException
            || e instanceof IndexFormatTooOldException
            || e instanceof IndexFormatTooNewException;
    return new VectorStoreException(
        "the Lucene index at " + location + " could not " + action + ": " + e, !corrupt, e);
  }

  private static void closeAfterFailure(
      @Nullable IndexWriter writer, Directory directory, Exception failure) {
    try {
      if (writer != null) {
        writer.rollback();
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
    try {
      directory.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
