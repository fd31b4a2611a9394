package io.docpipe.harness.qdrant;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.CountPoints;
import io.qdrant.client.grpc.Points.CountResponse;
import io.qdrant.client.grpc.Points.CountResult;
import io.qdrant.client.grpc.Points.CreateFieldIndexCollection;
import io.qdrant.client.grpc.Points.DeletePoints;
import io.qdrant.client.grpc.Points.DenseVector;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.GetPoints;
import io.qdrant.client.grpc.Points.GetResponse;
import io.qdrant.client.grpc.Points.PointsOperationResponse;
import io.qdrant.client.grpc.Points.RetrievedPoint;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.SearchResponse;
import io.qdrant.client.grpc.Points.UpdateMode;
import io.qdrant.client.grpc.Points.UpdateResult;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import io.qdrant.client.grpc.Points.VectorOutput;
import io.qdrant.client.grpc.Points.VectorsOutput;
import io.qdrant.client.grpc.Points.WithPayloadSelector;
import io.qdrant.client.grpc.Points.WithVectorsSelector;
import io.qdrant.client.grpc.PointsGrpc;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Qdrant's {@code Points} service: Upsert (with update_filter), Delete, Get, Scroll, Search, Count,
 * CreateFieldIndex.
 */
final class StandInPoints extends PointsGrpc.PointsImplBase {

  private final ConcurrentMap<String, StoredCollection> collections;
  private final AtomicInteger operationIds = new AtomicInteger();
  private final AtomicInteger upsertsInFlight = new AtomicInteger();
  private final AtomicInteger maxUpsertsInFlight = new AtomicInteger();
  private final List<Integer> upsertSizes =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger upsertsUntilDrop = new AtomicInteger();
  private final IntConsumer dropConnections;

  /** Run before each Upsert or Delete is applied (a test's way to interleave two writers). */
  private volatile @Nullable Consumer<String> beforeUpdate;

  StandInPoints(ConcurrentMap<String, StoredCollection> collections, IntConsumer dropConnections) {
    this.collections = collections;
    this.dropConnections = dropConnections;
  }

  static StoredCollection collection(Map<String, StoredCollection> collections, String name) {
    StoredCollection c = collections.get(name);
    if (c == null) {
      throw Status.NOT_FOUND
          .withDescription("Not found: Collection `" + name + "` doesn't exist!")
          .asRuntimeException();
    }
    return c;
  }

  void beforeEachUpdate(@Nullable Consumer<String> hook) {
    beforeUpdate = hook;
  }

  private void beforeUpdate(String rpc) {
    Consumer<String> hook = beforeUpdate;
    if (hook != null) {
      hook.accept(rpc);
    }
  }

  void dropConnectionsDuringUpsert(int nth) {
    upsertsUntilDrop.set(nth);
  }

  int maxUpsertsInFlight() {
    return maxUpsertsInFlight.get();
  }

  List<Integer> upsertSizes() {
    synchronized (upsertSizes) {
      return List.copyOf(upsertSizes);
    }
  }

  @Override
  public void upsert(UpsertPoints request, StreamObserver<PointsOperationResponse> response) {
    beforeUpdate("Upsert");
    int inFlight = upsertsInFlight.incrementAndGet();
    maxUpsertsInFlight.accumulateAndGet(inFlight, Math::max);
    try {
      StoredCollection c = collection(collections, request.getCollectionName());
      c.upsert(
          request.getPointsList(),
          request.hasUpdateFilter() ? request.getUpdateFilter() : null,
          request.hasUpdateMode() ? request.getUpdateMode() : UpdateMode.Upsert);
      upsertSizes.add(request.getPointsCount());
    } finally {
      // Before answering: once the client has its answer it may start the next batch, and that
      // overlap is not concurrency the client caused.
      upsertsInFlight.decrementAndGet();
    }
    if (upsertsUntilDrop.get() > 0 && upsertsUntilDrop.decrementAndGet() == 0) {
      // Applied, but the answer never arrives: the client cannot tell whether it landed.
      dropConnections.accept(request.getPointsCount());
      response.onError(
          Status.UNAVAILABLE.withDescription("connection dropped").asRuntimeException());
      return;
    }
    respond(response, request.hasWait() && request.getWait());
  }

  @Override
  public void delete(DeletePoints request, StreamObserver<PointsOperationResponse> response) {
    beforeUpdate("Delete");
    StoredCollection c = collection(collections, request.getCollectionName());
    switch (request.getPoints().getPointsSelectorOneOfCase()) {
      case POINTS -> c.deleteIds(request.getPoints().getPoints().getIdsList());
      case FILTER -> c.deleteMatching(request.getPoints().getFilter());
      default -> throw StoredCollection.invalid("delete needs ids or a filter");
    }
    respond(response, request.hasWait() && request.getWait());
  }

  /**
   * A stored point as Get and Scroll answer it: its id, the selected payload, its vector if asked.
   */
  private static RetrievedPoint retrieved(
      StoredCollection.StoredPoint p, WithPayloadSelector payload, boolean withVector) {
    RetrievedPoint.Builder point =
        RetrievedPoint.newBuilder().setId(p.id()).putAllPayload(select(p.payload(), payload));
    if (withVector) {
      point.setVectors(vectors(p.vector()));
    }
    return point.build();
  }

  @Override
  public void get(GetPoints request, StreamObserver<GetResponse> response) {
    StoredCollection c = collection(collections, request.getCollectionName());
    GetResponse.Builder result = GetResponse.newBuilder();
    for (StoredCollection.StoredPoint p : c.get(request.getIdsList())) {
      result.addResult(
          retrieved(
              p,
              request.getWithPayload(),
              request.hasWithVectors() && wantsVectors(request.getWithVectors())));
    }
    response.onNext(result.build());
    response.onCompleted();
  }

  @Override
  public void search(SearchPoints request, StreamObserver<SearchResponse> response) {
    StoredCollection c = collection(collections, request.getCollectionName());
    if (request.hasVectorName() && !request.getVectorName().isEmpty()) {
      searchSparse(c, request, response);
      return;
    }
    float[] query = new float[request.getVectorCount()];
    for (int i = 0; i < query.length; i++) {
      query[i] = request.getVector(i);
    }
    if (query.length != c.size) {
      throw StoredCollection.invalid(
          "Vector dimension error: expected dim: " + c.size + ", got " + query.length);
    }
    if (request.getLimit() < 1) {
      throw StoredCollection.invalid("limit must be at least 1");
    }
    float[] prepared = c.prepare(query);
    Filter filter = request.hasFilter() ? request.getFilter() : Filter.getDefaultInstance();
    record Scored(StoredCollection.StoredPoint point, float score, String id) {}
    // Qdrant promises no order among equal scores; this one is deliberately not the id order.
    Comparator<Scored> best = Comparator.comparingDouble(Scored::score);
    if (c.largerIsBetter()) {
      best = best.reversed();
    }
    best = best.thenComparing(Scored::id, Comparator.reverseOrder());
    long offset = request.hasOffset() ? request.getOffset() : 0;
    long keep = Math.min(Integer.MAX_VALUE - 1, offset + request.getLimit());
    PriorityQueue<Scored> top = new PriorityQueue<>(best.reversed()); // worst kept on top
    for (StoredCollection.StoredPoint p : c.matching(filter)) {
      float score = c.score(prepared, p.vector());
      if (request.hasScoreThreshold()
          && (c.largerIsBetter()
              ? score < request.getScoreThreshold()
              : score > request.getScoreThreshold())) {
        continue;
      }
      top.add(new Scored(p, score, StoredCollection.describe(p.id())));
      if (top.size() > keep) {
        top.poll();
      }
    }
    List<Scored> scored = new ArrayList<>(top);
    scored.sort(best);
    SearchResponse.Builder result = SearchResponse.newBuilder();
    scored.stream()
        .skip(offset)
        .limit(request.getLimit())
        .forEach(
            s -> {
              ScoredPoint.Builder point =
                  ScoredPoint.newBuilder()
                      .setId(s.point().id())
                      .setScore(s.score())
                      .putAllPayload(select(s.point().payload(), request.getWithPayload()));
              if (request.hasWithVectors() && wantsVectors(request.getWithVectors())) {
                point.setVectors(vectors(s.point().vector()));
              }
              result.addResult(point);
            });
    response.onNext(result.build());
    response.onCompleted();
  }

  /** A search of a named sparse vector: only points sharing an index with the query score. */
  private void searchSparse(
      StoredCollection c, SearchPoints request, StreamObserver<SearchResponse> response) {
    if (!c.sparseVectors.containsKey(request.getVectorName())) {
      throw StoredCollection.invalid("Not existing vector name error: " + request.getVectorName());
    }
    if (!request.hasSparseIndices()) {
      throw StoredCollection.invalid(
          "vector " + request.getVectorName() + " is sparse: the query needs sparse indices");
    }
    if (request.getLimit() < 1) {
      throw StoredCollection.invalid("limit must be at least 1");
    }
    List<Integer> indices = request.getSparseIndices().getDataList();
    if (indices.size() != request.getVectorCount()) {
      throw StoredCollection.invalid("sparse vector indices and values differ in length");
    }
    Filter filter = request.hasFilter() ? request.getFilter() : Filter.getDefaultInstance();
    Map<StoredCollection.StoredPoint, Float> scores =
        c.scoreSparse(
            request.getVectorName(),
            new StoredCollection.Sparse(indices, request.getVectorList()),
            filter);
    // Qdrant promises no order among equal scores; this one is deliberately not the id order.
    List<Map.Entry<StoredCollection.StoredPoint, Float>> ranked =
        new ArrayList<>(scores.entrySet());
    ranked.sort(
        Comparator.comparing((Map.Entry<StoredCollection.StoredPoint, Float> e) -> e.getValue())
            .reversed()
            .thenComparing(
                e -> StoredCollection.describe(e.getKey().id()), Comparator.reverseOrder()));
    long offset = request.hasOffset() ? request.getOffset() : 0;
    SearchResponse.Builder result = SearchResponse.newBuilder();
    ranked.stream()
        .skip(offset)
        .limit(request.getLimit())
        .forEach(
            e ->
                result.addResult(
                    ScoredPoint.newBuilder()
                        .setId(e.getKey().id())
                        .setScore(e.getValue())
                        .putAllPayload(select(e.getKey().payload(), request.getWithPayload()))));
    response.onNext(result.build());
    response.onCompleted();
  }

  /**
   * Scroll as Qdrant serves it without {@code order_by}: the points matching the filter in id order
   * from {@code offset}, {@code limit} of them (10 when unset), and {@code next_page_offset} when
   * more follow.
   */
  @Override
  public void scroll(ScrollPoints request, StreamObserver<ScrollResponse> response) {
    StoredCollection c = collection(collections, request.getCollectionName());
    if (request.hasOrderBy()) {
      throw Status.UNIMPLEMENTED
          .withDescription("the Qdrant stand-in does not implement scroll with order_by")
          .asRuntimeException();
    }
    int limit = request.hasLimit() ? request.getLimit() : 10;
    if (limit < 1) {
      throw StoredCollection.invalid("limit must be at least 1");
    }
    if (request.hasOffset()) {
      StoredCollection.checkId(request.getOffset());
    }
    StoredCollection.Page page =
        c.scroll(
            request.hasFilter() ? request.getFilter() : Filter.getDefaultInstance(),
            request.hasOffset() ? request.getOffset() : null,
            limit);
    ScrollResponse.Builder result = ScrollResponse.newBuilder();
    for (StoredCollection.StoredPoint p : page.points()) {
      result.addResult(
          retrieved(
              p,
              request.getWithPayload(),
              request.hasWithVectors() && wantsVectors(request.getWithVectors())));
    }
    if (page.next() != null) {
      result.setNextPageOffset(page.next());
    }
    response.onNext(result.build());
    response.onCompleted();
  }

  @Override
  public void count(CountPoints request, StreamObserver<CountResponse> response) {
    StoredCollection c = collection(collections, request.getCollectionName());
    long count = request.hasFilter() ? c.matching(request.getFilter()).size() : c.pointCount();
    response.onNext(
        CountResponse.newBuilder().setResult(CountResult.newBuilder().setCount(count)).build());
    response.onCompleted();
  }

  @Override
  public void createFieldIndex(
      CreateFieldIndexCollection request, StreamObserver<PointsOperationResponse> response) {
    StoredCollection c = collection(collections, request.getCollectionName());
    if (request.getFieldName().isEmpty()) {
      throw StoredCollection.invalid("field name must not be empty");
    }
    PayloadFilter.parsePath(request.getFieldName());
    FieldType type = request.hasFieldType() ? request.getFieldType() : FieldType.FieldTypeKeyword;
    c.index(request.getFieldName(), schemaType(type));
    respond(response, request.hasWait() && request.getWait());
  }

  private void respond(StreamObserver<PointsOperationResponse> response, boolean waited) {
    // Every change is applied before the answer; without wait=true Qdrant only acknowledges.
    response.onNext(
        PointsOperationResponse.newBuilder()
            .setResult(
                UpdateResult.newBuilder()
                    .setOperationId(operationIds.incrementAndGet())
                    .setStatus(waited ? UpdateStatus.Completed : UpdateStatus.Acknowledged))
            .build());
    response.onCompleted();
  }

  private static Map<String, Value> select(Map<String, Value> payload, WithPayloadSelector with) {
    return switch (with.getSelectorOptionsCase()) {
      case ENABLE -> with.getEnable() ? payload : Map.of();
      case INCLUDE -> {
        Map<String, Value> kept = new LinkedHashMap<>();
        for (String field : with.getInclude().getFieldsList()) {
          Value v = payload.get(field);
          if (v != null) {
            kept.put(field, v);
          }
        }
        yield kept;
      }
      case EXCLUDE -> {
        Map<String, Value> kept = new LinkedHashMap<>(payload);
        with.getExclude().getFieldsList().forEach(kept::remove);
        yield kept;
      }
      case SELECTOROPTIONS_NOT_SET -> Map.of();
    };
  }

  private static boolean wantsVectors(WithVectorsSelector with) {
    return with.hasEnable() ? with.getEnable() : with.hasInclude();
  }

  private static VectorsOutput vectors(float[] vector) {
    DenseVector.Builder dense = DenseVector.newBuilder();
    for (float v : vector) {
      dense.addData(v);
    }
    return VectorsOutput.newBuilder().setVector(VectorOutput.newBuilder().setDense(dense)).build();
  }

  private static PayloadSchemaType schemaType(FieldType type) {
    return switch (type) {
      case FieldTypeKeyword -> PayloadSchemaType.Keyword;
      case FieldTypeInteger -> PayloadSchemaType.Integer;
      case FieldTypeFloat -> PayloadSchemaType.Float;
      case FieldTypeGeo -> PayloadSchemaType.Geo;
      case FieldTypeText -> PayloadSchemaType.Text;
      case FieldTypeBool -> PayloadSchemaType.Bool;
      case FieldTypeDatetime -> PayloadSchemaType.Datetime;
      case FieldTypeUuid -> PayloadSchemaType.Uuid;
      case UNRECOGNIZED -> throw StoredCollection.invalid("unknown field type");
    };
  }
}
