package io.docpipe.qdrant;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.LexicalQuery;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.qdrant.client.ConditionFactory;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.ValueFactory;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.PointsSelector;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchParams;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SparseIndices;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * A {@link VectorStore} on one Qdrant collection (cosine, one unnamed dense vector, and a sparse
 * {@code lexical} vector per point for BM25 with Qdrant's IDF modifier). Writes go in steps so that
 * a document's {@code doc_hash} is only ever stored once the rest of it is (the chunks past the
 * first, the stale chunks' removal, then every document's first chunk, which is where {@link
 * #storedHashes} reads the hash by point id), and each point carries its write's stamp so that
 * writers and deleters of one document in several processes never leave a mix ({@link #write}).
 */
final class QdrantVectorStore implements VectorStore {

  private static final System.Logger LOG = System.getLogger(QdrantVectorStore.class.getName());

  /** Points looked up per Get call, documents per stale-chunk filter. */
  private static final int LOOKUP_BATCH = 1000;

  private static final int STALE_FILTER_DOCUMENTS = 256;

  /** Most extra hits fetched to order equal scores by point id. */
  private static final int MAX_TIE_WINDOW = 4096;

  /**
   * The collection metadata key (Qdrant 1.16+) under which the embedding model's id is recorded.
   */
  static final String MODEL_KEY = "docpipe.embedding_model";

  private final QdrantClient client;
  private final QdrantSettings settings;
  private final int dimension;
  private final @Nullable String modelId;
  private final Calls calls;
  private final String collection;
  private final Duration timeout;
  private final Semaphore batchPermits;
  private final ExecutorService batches = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final LexicalVectors lexical = new LexicalVectors();

  /**
   * Why this collection cannot answer lexical searches (created without the sparse vector, by an
   * older docpipe), or null when it can; set by {@link #bootstrap}. Without it writes carry no
   * sparse vector, since Qdrant would refuse one it has no configuration for.
   */
  private volatile @Nullable String lexicalProblem;

  QdrantVectorStore(
      QdrantClient client, QdrantSettings settings, int dimension, @Nullable String modelId) {
    this.client = client;
    this.settings = settings;
    this.dimension = dimension;
    this.modelId = modelId;
    this.collection = settings.collection();
    this.timeout = settings.timeout();
    this.calls =
        new Calls(
            "Qdrant " + settings.host() + ":" + settings.port() + "/" + collection,
            settings.maxAttempts(),
            settings.initialBackoff(),
            settings.maxBackoff());
    this.batchPermits = new Semaphore(settings.maxConcurrentBatches());
  }

  /**
   * Creates the collection when missing, refuses one of another shape or of another embedding
   * model, records the model in an empty one, adds payload indexes.
   */
  void bootstrap() {
    boolean exists =
        calls.call(
            "checking the collection", () -> client.collectionExistsAsync(collection, timeout));
    if (!exists) {
      try {
        CreateCollection.Builder create = CreateCollection.newBuilder();
        if (modelId != null) {
          create.putMetadata(MODEL_KEY, ValueFactory.value(modelId));
        }
        calls.call(
            "creating the collection",
            () ->
                client.createCollectionAsync(
                    create
                        .setCollectionName(collection)
                        .setVectorsConfig(
                            VectorsConfig.newBuilder()
                                .setParams(
                                    VectorParams.newBuilder()
                                        .setSize(dimension)
                                        .setDistance(Distance.Cosine)))
                        .setSparseVectorsConfig(
                            SparseVectorConfig.newBuilder()
                                .putMap(
                                    LexicalVectors.NAME,
                                    SparseVectorParams.newBuilder()
                                        .setModifier(Modifier.Idf)
                                        .build()))
                        .build(),
                    timeout));
        LOG.log(
            System.Logger.Level.INFO,
            "created Qdrant collection {0} ({1} dimensions, cosine; sparse vector lexical, IDF)",
            collection,
            dimension);
      } catch (VectorStoreException e) {
        // Another worker may have created it first; that is fine if it has our shape.
        boolean nowExists =
            calls.call(
                "checking the collection", () -> client.collectionExistsAsync(collection, timeout));
        if (!nowExists) {
          throw e;
        }
      }
    }
    CollectionInfo info =
        calls.call(
            "reading the collection", () -> client.getCollectionInfoAsync(collection, timeout));
    checkShape(info);
    checkOrRecordModel(info);
    lexicalProblem = lexicalProblem(info);
    if (lexicalProblem != null) {
      LOG.log(System.Logger.Level.WARNING, lexicalProblem);
    }
    Map<String, FieldType> wanted = new LinkedHashMap<>();
    wanted.put(PointPayload.DOC_ID, FieldType.FieldTypeKeyword);
    wanted.put(PointPayload.DOC_HASH, FieldType.FieldTypeKeyword);
    wanted.put(PointPayload.CHUNK_INDEX, FieldType.FieldTypeInteger);
    wanted.put(Payloads.WRITE_STAMP, FieldType.FieldTypeInteger);
    for (String key : settings.indexedMetadata()) {
      wanted.put(Payloads.metadataPath(key), FieldType.FieldTypeKeyword);
    }
    Map<String, PayloadSchemaInfo> present = info.getPayloadSchemaMap();
    wanted.forEach(
        (field, type) -> {
          if (!present.containsKey(field)) {
            calls.call(
                "indexing payload field " + field,
                () ->
                    client.createPayloadIndexAsync(
                        CreateFieldIndexCollection.newBuilder()
                            .setCollectionName(collection)
                            .setFieldName(field)
                            .setFieldType(type)
                            .setWait(true)
                            .build(),
                        timeout));
          }
        });
  }

  private void checkShape(CollectionInfo info) {
    VectorsConfig vectors = info.getConfig().getParams().getVectorsConfig();
    if (!vectors.hasParams()) {
      throw new VectorStoreException(
          "Qdrant collection "
              + collection
              + " has named vectors; docpipe needs one unnamed vector of "
              + dimension
              + " dimensions with cosine distance. Choose another collection"
              + " (DOCPIPE_QDRANT_COLLECTION) or delete this one.",
          false);
    }
    VectorParams params = vectors.getParams();
    if (params.getSize() != dimension || params.getDistance() != Distance.Cosine) {
      throw new VectorStoreException(
          "Qdrant collection "
              + collection
              + " holds vectors of "
              + params.getSize()
              + " dimensions with "
              + params.getDistance()
              + " distance, but this store needs "
              + dimension
              + " dimensions with Cosine distance (the embedding model changed?). Choose another"
              + " collection (DOCPIPE_QDRANT_COLLECTION) or re-index into a new one.",
          false);
    }
  }

  /**
   * Refuses a collection whose points were embedded by another model, as the Lucene index does;
   * records the model in a collection without points (new, emptied, or created before the model was
   * recorded). A collection with points and no record is left as it is: its model is unknown.
   */
  private void checkOrRecordModel(CollectionInfo info) {
    String wanted = modelId;
    if (wanted == null) {
      return;
    }
    JsonWithInt.Value recordedValue = info.getConfig().getMetadataMap().get(MODEL_KEY);
    String recorded =
        recordedValue != null && recordedValue.hasStringValue()
            ? recordedValue.getStringValue()
            : null;
    if (wanted.equals(recorded)) {
      return;
    }
    boolean empty = info.getPointsCount() == 0;
    if (recorded != null && !empty) {
      throw new VectorStoreException(
          "Qdrant collection "
              + collection
              + " holds vectors of the embedding model "
              + recorded
              + ", not "
              + wanted
              + ": choose that model again (DOCPIPE_ONNX_MODEL, DOCPIPE_EMBEDDING), or use another"
              + " collection (DOCPIPE_QDRANT_COLLECTION) for this one",
          false);
    }
    if (empty) {
      calls.call(
          "recording the embedding model",
          () ->
              client.updateCollectionAsync(
                  UpdateCollection.newBuilder()
                      .setCollectionName(collection)
                      .putMetadata(MODEL_KEY, ValueFactory.value(wanted))
                      .build(),
                  timeout));
    }
  }

  private @Nullable String lexicalProblem(CollectionInfo info) {
    SparseVectorParams sparse =
        info.getConfig().getParams().getSparseVectorsConfig().getMapMap().get(LexicalVectors.NAME);
    if (sparse == null) {
      return "Qdrant collection "
          + collection
          + " has no sparse vector '"
          + LexicalVectors.NAME
          + "' (it was created by a docpipe without lexical search), so it answers dense searches"
          + " only: search with --mode dense (HTTP \"mode\": \"dense\"), or re-index into a new"
          + " collection (DOCPIPE_QDRANT_COLLECTION) for lexical and hybrid search";
    }
    if (sparse.getModifier() != Modifier.Idf) {
      return "Qdrant collection "
          + collection
          + "'s sparse vector '"
          + LexicalVectors.NAME
          + "' has modifier "
          + sparse.getModifier()
          + ", not Idf, so its scores are not BM25: search with --mode dense, or re-index into a"
          + " new collection (DOCPIPE_QDRANT_COLLECTION)";
    }
    return null;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  /**
   * Writes each document's version so that no interleaving with another process writing or deleting
   * the same document leaves a mix (ADR 0027). Every point carries its write's stamp, and:
   *
   * <ol>
   *   <li>the chunks past the first are upserted with an {@code update_filter} that lets them
   *       replace only points of an older stamp (Qdrant keeps a point the filter does not match);
   *   <li>the document's older points past chunk 0 are removed (the stale chunks of the old
   *       version, and any an older writer added);
   *   <li>chunk 0 is upserted the same way: it carries {@code doc_hash}, which {@link
   *       #storedHashes} reads, so the hash says "unchanged" only once the rest is in place;
   *   <li>{@link #settle}: chunk 0 now names the version that won, and every point of the document
   *       older than it goes; if ours lost, or a newer deletion took any of our points, ours go.
   * </ol>
   */
  @Override
  public void write(List<DocumentWrite> documents) {
    checkOpen();
    // The same document twice in one call: the last write of it is the one that counts.
    Map<DocumentId, DocumentWrite> latest = new LinkedHashMap<>();
    for (DocumentWrite document : documents) {
      for (Point point : document.points()) {
        checkVector(point.vector(), "vector of point " + point.id());
      }
      latest.remove(document.documentId());
      latest.put(document.documentId(), document);
    }
    if (latest.isEmpty()) {
      return;
    }
    List<PointStruct> rest = new ArrayList<>();
    List<PointStruct> firstChunks = new ArrayList<>();
    Map<String, Long> stamps = new LinkedHashMap<>();
    for (DocumentWrite document : latest.values()) {
      for (Point point : document.points()) {
        var sparse = lexicalProblem == null ? lexical.document(point.payload().text()) : null;
        (point.payload().chunkIndex() == 0 ? firstChunks : rest)
            .add(Payloads.toStruct(point, sparse, document.stamp()));
      }
      stamps.put(document.documentId().value(), document.stamp());
    }
    upsertAll(rest, stamps);
    List<DocumentWrite> written = List.copyOf(latest.values());
    for (int from = 0; from < written.size(); from += STALE_FILTER_DOCUMENTS) {
      List<Filter> stale = new ArrayList<>();
      for (DocumentWrite d :
          written.subList(from, Math.min(written.size(), from + STALE_FILTER_DOCUMENTS))) {
        stale.add(Payloads.olderChunksPastTheFirst(d.documentId(), d.stamp()));
      }
      deleteWhere("removing stale chunks", Payloads.anyOf(stale));
    }
    upsertAll(firstChunks, stamps); // the stored doc_hash now says the whole document is there
    for (int from = 0; from < written.size(); from += STALE_FILTER_DOCUMENTS) {
      settle(written.subList(from, Math.min(written.size(), from + STALE_FILTER_DOCUMENTS)));
    }
  }

  /**
   * Reads the chunk-0 point of each document (the one every version writes last), with {@code
   * payload}.
   */
  private GetPoints firstChunks(List<DocumentId> ids, List<String> payload) {
    List<Common.PointId> firstChunkIds = new ArrayList<>();
    for (DocumentId id : ids) {
      firstChunkIds.add(PointIdFactory.id(PointId.of(id, 0).value()));
    }
    return GetPoints.newBuilder()
        .setCollectionName(collection)
        .addAllIds(firstChunkIds)
        .setWithPayload(WithPayloadSelectorFactory.include(payload))
        .build();
  }

  /**
   * After a write: reads each document's chunk 0, which holds the newest version written (an upsert
   * never lets an older stamp replace it), and removes every point of the document older than it:
   * the strays an older writer added after our stale-chunk removal, or, when a newer version won,
   * our own. When chunk 0 is gone or older than ours, or fewer of our points are there than we
   * wrote, a newer deletion (or a newer writer's stale-chunk removal) took some: ours and anything
   * older go, and the newer operation's result stands.
   */
  private void settle(List<DocumentWrite> written) {
    GetPoints request =
        firstChunks(
            written.stream().map(DocumentWrite::documentId).toList(),
            List.of(PointPayload.DOC_ID, Payloads.WRITE_STAMP));
    Map<String, Long> winners = new LinkedHashMap<>();
    for (RetrievedPoint point :
        calls.call("reading the written versions", () -> client.retrieveAsync(request, timeout))) {
      winners.put(
          Payloads.string(point.getPayloadMap(), PointPayload.DOC_ID),
          Payloads.stamp(point.getPayloadMap()));
    }
    List<Filter> doomed = new ArrayList<>();
    List<DocumentWrite> ours = new ArrayList<>();
    for (DocumentWrite d : written) {
      Long winner = winners.get(d.documentId().value());
      if (winner == null || winner < d.stamp()) {
        doomed.add(Payloads.olderThan(d.documentId(), d.stamp() + 1));
      } else if (winner > d.stamp()) {
        doomed.add(Payloads.olderThan(d.documentId(), winner));
      } else {
        ours.add(d);
        doomed.add(Payloads.olderThan(d.documentId(), d.stamp()));
      }
    }
    long expected = ours.stream().mapToLong(d -> d.points().size()).sum();
    if (!ours.isEmpty()
        && count(Payloads.anyOf(ours.stream().map(QdrantVectorStore::stamped).toList()))
            < expected) {
      for (DocumentWrite d : ours) {
        if (count(stamped(d)) < d.points().size()) {
          doomed.add(Payloads.olderThan(d.documentId(), d.stamp() + 1));
        }
      }
    }
    deleteWhere("removing versions older than the one written", Payloads.anyOf(doomed));
  }

  private static Filter stamped(DocumentWrite d) {
    return Payloads.stamped(d.documentId(), d.stamp());
  }

  private void upsertAll(List<PointStruct> points, Map<String, Long> stamps) {
    int size = settings.upsertBatchSize();
    List<Future<?>> inFlight = new ArrayList<>();
    for (int from = 0; from < points.size(); from += size) {
      List<PointStruct> batch = points.subList(from, Math.min(points.size(), from + size));
      inFlight.add(batches.submit(() -> upsertBatch(batch, stamps)));
    }
    VectorStoreException failure = null;
    for (Future<?> f : inFlight) {
      try {
        f.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          failure =
              cause instanceof VectorStoreException v
                  ? v
                  : new VectorStoreException(
                      "upsert into " + collection + " failed: " + cause, false, cause);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        inFlight.forEach(other -> other.cancel(true));
        throw new VectorStoreException("upsert into " + collection + " interrupted", true, e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /**
   * One upsert whose {@code update_filter} lets each point replace only a stored point of its
   * document with an older stamp: Qdrant keeps a point the filter does not match, and inserts a
   * point that is not there whatever the filter says.
   */
  private void upsertBatch(List<PointStruct> batch, Map<String, Long> stamps) {
    Map<String, Filter> replaceable = new LinkedHashMap<>();
    for (PointStruct point : batch) {
      String doc = Payloads.string(point.getPayloadMap(), PointPayload.DOC_ID);
      replaceable.computeIfAbsent(
          doc, d -> Payloads.olderThan(DocumentId.of(d), Objects.requireNonNull(stamps.get(d), d)));
    }
    try {
      batchPermits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VectorStoreException("upsert into " + collection + " interrupted", true, e);
    }
    try {
      UpsertPoints request =
          UpsertPoints.newBuilder()
              .setCollectionName(collection)
              .setWait(true)
              .addAllPoints(batch)
              .setUpdateFilter(Payloads.anyOf(List.copyOf(replaceable.values())))
              .build();
      calls.call(
          "upserting " + batch.size() + " points", () -> client.upsertAsync(request, timeout));
    } finally {
      batchPermits.release();
    }
  }

  @Override
  public Map<DocumentId, ContentHash> storedHashes(Collection<DocumentId> ids) {
    checkOpen();
    List<DocumentId> all = List.copyOf(ids);
    Map<DocumentId, ContentHash> hashes = new LinkedHashMap<>();
    for (int from = 0; from < all.size(); from += LOOKUP_BATCH) {
      GetPoints request =
          firstChunks(
              all.subList(from, Math.min(all.size(), from + LOOKUP_BATCH)),
              List.of(PointPayload.DOC_ID, PointPayload.DOC_HASH));
      List<RetrievedPoint> found =
          calls.call("reading stored hashes", () -> client.retrieveAsync(request, timeout));
      for (RetrievedPoint point : found) {
        try {
          hashes.put(
              DocumentId.of(Payloads.string(point.getPayloadMap(), PointPayload.DOC_ID)),
              new ContentHash(Payloads.string(point.getPayloadMap(), PointPayload.DOC_HASH)));
        } catch (IllegalArgumentException e) {
          throw new VectorStoreException(
              "point " + point.getId().getUuid() + " was not written by docpipe: " + e.getMessage(),
              false,
              e);
        }
      }
    }
    return hashes;
  }

  @Override
  public long delete(DocumentId id) {
    checkOpen();
    return countThenDelete("deleting document " + id, Payloads.documentFilter(id));
  }

  @Override
  public long deleteOlderThan(DocumentId id, long stamp) {
    checkOpen();
    return countThenDelete(
        "deleting document " + id + " older than stamp " + stamp, Payloads.olderThan(id, stamp));
  }

  /**
   * Scrolls the documents' chunk 0 points (one per document), a page of {@link #LOOKUP_BATCH} at a
   * time with only {@code doc_id} and {@code source}, and keeps those whose source starts with
   * {@code sourcePrefix}: Qdrant has no prefix match on a keyword, so the prefix is checked here;
   * memory holds one page and the answer.
   */
  @Override
  public Map<DocumentId, String> documentsBySource(String sourcePrefix) {
    checkOpen();
    Objects.requireNonNull(sourcePrefix, "sourcePrefix");
    Map<DocumentId, String> found = new LinkedHashMap<>();
    Filter chunkZero =
        Filter.newBuilder().addMust(ConditionFactory.match(PointPayload.CHUNK_INDEX, 0)).build();
    Common.PointId offset = null;
    do {
      ScrollPoints.Builder request =
          ScrollPoints.newBuilder()
              .setCollectionName(collection)
              .setFilter(chunkZero)
              .setLimit(LOOKUP_BATCH)
              .setWithPayload(
                  WithPayloadSelectorFactory.include(
                      List.of(PointPayload.DOC_ID, PointPayload.SOURCE)));
      if (offset != null) {
        request.setOffset(offset);
      }
      ScrollPoints built = request.build();
      ScrollResponse page =
          calls.call("listing documents by source", () -> client.scrollAsync(built, timeout));
      for (RetrievedPoint point : page.getResultList()) {
        try {
          String source = Payloads.string(point.getPayloadMap(), PointPayload.SOURCE);
          if (source.startsWith(sourcePrefix)) {
            found.put(
                DocumentId.of(Payloads.string(point.getPayloadMap(), PointPayload.DOC_ID)), source);
          }
        } catch (IllegalArgumentException e) {
          throw new VectorStoreException(
              "point " + point.getId().getUuid() + " was not written by docpipe: " + e.getMessage(),
              false,
              e);
        }
      }
      offset = page.hasNextPageOffset() ? page.getNextPageOffset() : null;
    } while (offset != null);
    return found;
  }

  @Override
  public long delete(MetadataFilter filter) {
    checkOpen();
    return countThenDelete("deleting by " + filter, Payloads.filter(filter));
  }

  private long countThenDelete(String what, Filter filter) {
    long matching = count(filter);
    if (matching > 0) {
      deleteWhere(what, filter);
    }
    return matching;
  }

  private void deleteWhere(String what, Filter filter) {
    DeletePoints request =
        DeletePoints.newBuilder()
            .setCollectionName(collection)
            .setWait(true)
            .setPoints(PointsSelector.newBuilder().setFilter(filter))
            .build();
    calls.call(what, () -> client.deleteAsync(request, timeout));
  }

  @Override
  public List<SearchHit> search(VectorQuery query) {
    checkOpen();
    checkVector(query.vector(), "query vector");
    @Nullable Float threshold = null;
    if (query.minScore() != null) {
      float t = (float) query.minScore().doubleValue();
      threshold = t > query.minScore() ? Math.nextDown(t) : t;
    }
    int k = query.k();
    @Nullable Float scoreThreshold = threshold;
    List<ScoredPoint> found = tiesIncluded(k, limit -> searchOnce(query, limit, scoreThreshold));
    List<SearchHit> hits = new ArrayList<>(found.size());
    for (ScoredPoint p : found) {
      if (query.minScore() != null && p.getScore() < query.minScore()) {
        continue;
      }
      PointPayload payload = Payloads.fromPayload(p.getId(), p.getPayloadMap());
      hits.add(new SearchHit(payload.pointId(), p.getScore(), payload));
    }
    return best(hits, k);
  }

  /**
   * Searches with a limit of k + 1 and widens it while the last point read ties the k-th: Qdrant
   * orders equal scores arbitrarily, so every tie at the k-th score is read and {@link #best} cuts
   * them by point id (up to {@code MAX_TIE_WINDOW} extra points).
   */
  private static List<ScoredPoint> tiesIncluded(int k, IntFunction<List<ScoredPoint>> search) {
    int limit = k + 1;
    while (true) {
      List<ScoredPoint> found = search.apply(limit);
      if (found.size() < limit
          || found.get(limit - 1).getScore() != found.get(k - 1).getScore()
          || limit >= k + MAX_TIE_WINDOW) {
        return found;
      }
      limit = Math.min(k + MAX_TIE_WINDOW, limit * 2);
    }
  }

  /** The k highest scores, ties cut by point id so an answer never depends on Qdrant's order. */
  private static List<SearchHit> best(List<SearchHit> hits, int k) {
    hits.sort(SearchHit.BEST_FIRST);
    return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
  }

  private List<ScoredPoint> searchOnce(VectorQuery query, int limit, @Nullable Float threshold) {
    SearchPoints.Builder request =
        SearchPoints.newBuilder()
            .setCollectionName(collection)
            .setLimit(limit)
            .setFilter(Payloads.filter(query.filter()))
            .setWithPayload(WithPayloadSelectorFactory.enable(true))
            .setParams(SearchParams.newBuilder().setExact(query.exact()));
    for (float v : query.vector()) {
      request.addVector(v);
    }
    if (threshold != null) {
      request.setScoreThreshold(threshold);
    }
    SearchPoints built = request.build();
    return calls.call("searching", () -> client.searchAsync(built, timeout));
  }

  /**
   * BM25 through the sparse {@link LexicalVectors#NAME} vector: the query's distinct terms, weight
   * 1 each, against the chunks' saturated term frequencies, which Qdrant multiplies by each term's
   * IDF. Ties at the k-th score are all read and cut by point id, as in {@link #search}.
   */
  @Override
  public List<SearchHit> searchText(LexicalQuery query) {
    checkOpen();
    String problem = lexicalProblem;
    if (problem != null) {
      throw new VectorStoreException(problem, false);
    }
    List<Integer> terms = lexical.query(query.text());
    if (terms.isEmpty()) {
      return List.of();
    }
    int k = query.k();
    List<ScoredPoint> found =
        tiesIncluded(
            k,
            limit -> {
              SearchPoints.Builder request =
                  SearchPoints.newBuilder()
                      .setCollectionName(collection)
                      .setVectorName(LexicalVectors.NAME)
                      .setSparseIndices(SparseIndices.newBuilder().addAllData(terms))
                      .setLimit(limit)
                      .setFilter(Payloads.filter(query.filter()))
                      .setWithPayload(WithPayloadSelectorFactory.enable(true));
              for (int i = 0; i < terms.size(); i++) {
                request.addVector(1f);
              }
              SearchPoints built = request.build();
              return calls.call("searching text", () -> client.searchAsync(built, timeout));
            });
    List<SearchHit> hits = new ArrayList<>(found.size());
    for (ScoredPoint p : found) {
      if (p.getScore() > 0) {
        PointPayload payload = Payloads.fromPayload(p.getId(), p.getPayloadMap());
        hits.add(new SearchHit(payload.pointId(), p.getScore(), payload));
      }
    }
    return best(hits, k);
  }

  @Override
  public long count() {
    checkOpen();
    return count(Filter.getDefaultInstance());
  }

  private long count(Filter filter) {
    return calls.call(
        "counting points", () -> client.countAsync(collection, filter, true, timeout));
  }

  @Override
  public void checkHealth() {
    if (closed.get()) {
      throw new VectorStoreException("the Qdrant store is closed", false);
    }
    calls.call("checking health", 1, () -> client.getCollectionInfoAsync(collection, timeout));
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      batches.shutdownNow();
      client.close();
      lexical.close();
    }
  }

  private void checkOpen() {
    if (closed.get()) {
      throw new VectorStoreException("the Qdrant store for " + collection + " is closed", false);
    }
  }

  private void checkVector(float[] vector, String what) {
    if (vector.length != dimension) {
      throw new VectorStoreException(
          what
              + " has "
              + vector.length
              + " dimensions; the Qdrant collection "
              + collection
              + " holds "
              + dimension,
          false);
    }
    boolean zero = true;
    for (float v : vector) {
      zero &= v == 0f;
    }
    if (zero) {
      throw new VectorStoreException(what + " is a zero vector: it has no cosine", false);
    }
  }
}
