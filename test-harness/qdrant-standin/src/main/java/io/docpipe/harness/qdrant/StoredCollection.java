package io.docpipe.harness.qdrant;

import io.grpc.Status;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.Modifier;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.SparseVectorParams;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.UpdateMode;
import io.qdrant.client.grpc.Points.Vector;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** One collection: its vector parameters, payload indexes and points, guarded by its monitor. */
final class StoredCollection {

  /** A stored point; for cosine collections the vector is already normalised, as Qdrant does. */
  record StoredPoint(
      PointId id, float[] vector, Map<String, Sparse> sparse, Map<String, Value> payload) {}

  /** A sparse vector: indices (uint32 as int) with their values. */
  record Sparse(List<Integer> indices, List<Float> values) {}

  final String name;
  final int size;
  final Distance distance;

  /** Named sparse vectors and their parameters (the IDF modifier is honoured). */
  final Map<String, SparseVectorParams> sparseVectors;

  private final Map<String, PayloadSchemaType> payloadIndexes = new TreeMap<>();
  private final Map<PointId, StoredPoint> points = new LinkedHashMap<>();

  /** The collection's metadata (Qdrant 1.16+): set on creation, merged by updates. */
  private final Map<String, Value> metadata = new TreeMap<>();

  /** Keyword payload indexes: field → value → points; they narrow filters, as Qdrant's do. */
  private final Map<String, Map<String, Set<PointId>>> keywordIndexes = new HashMap<>();

  StoredCollection(String name, int size, Distance distance) {
    this(name, size, distance, Map.of());
  }

  StoredCollection(
      String name, int size, Distance distance, Map<String, SparseVectorParams> sparseVectors) {
    this.name = Objects.requireNonNull(name);
    this.size = size;
    this.distance = Objects.requireNonNull(distance);
    this.sparseVectors = Map.copyOf(sparseVectors);
  }

  /** Merges {@code entries} into the metadata, key by key, as Qdrant's UpdateCollection does. */
  synchronized void mergeMetadata(Map<String, Value> entries) {
    metadata.putAll(entries);
  }

  synchronized Map<String, Value> metadata() {
    return Map.copyOf(metadata);
  }

  synchronized void upsert(List<PointStruct> structs) {
    upsert(structs, null, UpdateMode.Upsert);
  }

  /**
   * Upserts as Qdrant does with {@code update_filter} and {@code update_mode}: a point that exists
   * is replaced only when it matches the filter (and the mode is not InsertOnly), otherwise it
   * keeps its current state; a new point is inserted whatever the filter says (unless UpdateOnly).
   * The whole request is validated first and applied under the collection's monitor, so no other
   * change interleaves with it. Returns how many points were written.
   */
  synchronized int upsert(
      List<PointStruct> structs, @Nullable Filter updateFilter, UpdateMode mode) {
    List<StoredPoint> checked = new ArrayList<>(structs.size());
    for (PointStruct struct : structs) {
      checkId(struct.getId());
      Vector unnamed;
      Map<String, Sparse> sparse = new TreeMap<>();
      if (struct.hasVectors() && struct.getVectors().hasVector()) {
        unnamed = struct.getVectors().getVector();
      } else if (struct.hasVectors() && struct.getVectors().hasVectors()) {
        // Named vectors: "" is the unnamed dense one (Qdrant's default vector name).
        Map<String, Vector> named = struct.getVectors().getVectors().getVectorsMap();
        unnamed = named.get("");
        if (unnamed == null) {
          throw invalid("point " + describe(struct.getId()) + " has no (unnamed) vector");
        }
        for (Map.Entry<String, Vector> entry : named.entrySet()) {
          if (entry.getKey().isEmpty()) {
            continue;
          }
          if (!sparseVectors.containsKey(entry.getKey())) {
            throw invalid("Not existing vector name error: " + entry.getKey());
          }
          sparse.put(entry.getKey(), sparse(entry.getValue()));
        }
      } else {
        throw invalid("point " + describe(struct.getId()) + " has no (unnamed) vector");
      }
      float[] vector = dense(unnamed);
      if (vector.length != size) {
        throw invalid("Vector dimension error: expected dim: " + size + ", got " + vector.length);
      }
      checked.add(
          new StoredPoint(
              struct.getId(), prepare(vector), Map.copyOf(sparse), struct.getPayloadMap()));
    }
    int written = 0;
    for (StoredPoint point : checked) {
      StoredPoint existing = points.get(point.id());
      if (existing != null
          && (mode == UpdateMode.InsertOnly
              || (updateFilter != null
                  && !PayloadFilter.matches(updateFilter, existing.id(), existing.payload())))) {
        continue; // Qdrant: "points that don't match will keep their current state"
      }
      if (existing == null && mode == UpdateMode.UpdateOnly) {
        continue;
      }
      StoredPoint old = points.put(point.id(), point); // an upsert replaces vector and payload
      if (old != null) {
        unindex(old);
      }
      index(point);
      written++;
    }
    return written;
  }

  /** A page of a scroll: the points in id order from {@code offset}, and where the next starts. */
  record Page(List<StoredPoint> points, @Nullable PointId next) {}

  /**
   * Qdrant's scroll without {@code order_by}: the points matching {@code filter} in id order
   * (numbers before UUIDs), from {@code offset} (inclusive) on, at most {@code limit}; {@code next}
   * is the id of the first point past the page, or null at the end.
   */
  synchronized Page scroll(Filter filter, @Nullable PointId offset, int limit) {
    List<StoredPoint> sorted = new ArrayList<>(matching(filter));
    sorted.sort((a, b) -> ID_ORDER.compare(a.id(), b.id()));
    int from = 0;
    if (offset != null) {
      while (from < sorted.size() && ID_ORDER.compare(sorted.get(from).id(), offset) < 0) {
        from++;
      }
    }
    int to = Math.min(sorted.size(), from + limit);
    return new Page(
        List.copyOf(sorted.subList(from, to)), to < sorted.size() ? sorted.get(to).id() : null);
  }

  /** Qdrant's point id order: numeric ids (unsigned) first, then UUIDs by their 128-bit value. */
  static final java.util.Comparator<PointId> ID_ORDER =
      (a, b) -> {
        if (a.hasNum() != b.hasNum()) {
          return a.hasNum() ? -1 : 1;
        }
        if (a.hasNum()) {
          return Long.compareUnsigned(a.getNum(), b.getNum());
        }
        // Canonical UUID text is fixed-width lower-case hex: its order is the 128-bit order.
        return a.getUuid()
            .toLowerCase(java.util.Locale.ROOT)
            .compareTo(b.getUuid().toLowerCase(java.util.Locale.ROOT));
      };

  synchronized int deleteIds(List<PointId> ids) {
    int removed = 0;
    for (PointId id : ids) {
      StoredPoint old = points.remove(id);
      if (old != null) {
        unindex(old);
        removed++;
      }
    }
    return removed;
  }

  synchronized int deleteMatching(Filter filter) {
    List<PointId> doomed = matching(filter).stream().map(StoredPoint::id).toList();
    return deleteIds(doomed);
  }

  synchronized List<StoredPoint> matching(Filter filter) {
    List<StoredPoint> result = new ArrayList<>();
    Set<PointId> candidates = candidates(filter);
    Collection<StoredPoint> scanned =
        candidates == null
            ? points.values()
            : candidates.stream().map(points::get).filter(Objects::nonNull).toList();
    for (StoredPoint p : scanned) {
      if (PayloadFilter.matches(filter, p.id(), p.payload())) {
        result.add(p);
      }
    }
    return result;
  }

  synchronized List<StoredPoint> get(List<PointId> ids) {
    List<StoredPoint> found = new ArrayList<>();
    for (PointId id : ids) {
      StoredPoint p = points.get(id);
      if (p != null) {
        found.add(p);
      }
    }
    return found;
  }

  synchronized int pointCount() {
    return points.size();
  }

  synchronized List<StoredPoint> snapshot() {
    return List.copyOf(points.values());
  }

  synchronized void index(String field, PayloadSchemaType type) {
    payloadIndexes.put(field, type);
    if (type == PayloadSchemaType.Keyword && !keywordIndexes.containsKey(field)) {
      keywordIndexes.put(field, new HashMap<>());
      points.values().forEach(this::index);
    }
  }

  private void index(StoredPoint point) {
    keywordIndexes.forEach(
        (field, byValue) -> {
          for (Value v : PayloadFilter.resolve(point.payload(), field)) {
            if (v.hasStringValue()) {
              byValue.computeIfAbsent(v.getStringValue(), k -> new HashSet<>()).add(point.id());
            }
          }
        });
  }

  private void unindex(StoredPoint point) {
    keywordIndexes.forEach(
        (field, byValue) -> {
          for (Value v : PayloadFilter.resolve(point.payload(), field)) {
            if (v.hasStringValue()) {
              Set<PointId> ids = byValue.get(v.getStringValue());
              if (ids != null) {
                ids.remove(point.id());
              }
            }
          }
        });
  }

  /**
   * Points that can match, from keyword indexes: a {@code must} keyword match (or nested filter)
   * narrows to its points; otherwise a {@code should} whose every branch narrows gives their union.
   * {@code null} when no index applies (scan everything). The full filter is still checked.
   */
  private @Nullable Set<PointId> candidates(Filter filter) {
    for (Condition c : filter.getMustList()) {
      Set<PointId> narrowed = candidates(c);
      if (narrowed != null) {
        return narrowed;
      }
    }
    if (filter.getShouldCount() == 0) {
      return null;
    }
    Set<PointId> union = new HashSet<>();
    for (Condition c : filter.getShouldList()) {
      Set<PointId> narrowed = candidates(c);
      if (narrowed == null) {
        return null;
      }
      union.addAll(narrowed);
    }
    return union;
  }

  private @Nullable Set<PointId> candidates(Condition c) {
    if (c.hasFilter()) {
      return candidates(c.getFilter());
    }
    if (!c.hasField() || !c.getField().hasMatch()) {
      return null;
    }
    Map<String, Set<PointId>> byValue = keywordIndexes.get(c.getField().getKey());
    if (byValue == null) {
      return null;
    }
    Match match = c.getField().getMatch();
    if (match.hasKeyword()) {
      return byValue.getOrDefault(match.getKeyword(), Set.of());
    }
    if (match.hasKeywords()) {
      Set<PointId> union = new HashSet<>();
      match
          .getKeywords()
          .getStringsList()
          .forEach(k -> union.addAll(byValue.getOrDefault(k, Set.of())));
      return union;
    }
    return null;
  }

  synchronized Map<String, PayloadSchemaType> payloadIndexes() {
    return Map.copyOf(payloadIndexes);
  }

  /** Qdrant normalises vectors of cosine collections on upsert (and queries on search). */
  float[] prepare(float[] vector) {
    if (distance != Distance.Cosine) {
      return vector.clone();
    }
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    if (sum == 0) {
      return vector.clone();
    }
    double norm = Math.sqrt(sum);
    float[] unit = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / norm);
    }
    return unit;
  }

  float score(float[] preparedQuery, float[] stored) {
    return switch (distance) {
      case Cosine, Dot -> {
        float dot = 0;
        for (int i = 0; i < stored.length; i++) {
          dot += preparedQuery[i] * stored[i];
        }
        yield dot;
      }
      case Euclid -> {
        double sum = 0;
        for (int i = 0; i < stored.length; i++) {
          double d = preparedQuery[i] - stored[i];
          sum += d * d;
        }
        yield (float) Math.sqrt(sum);
      }
      default ->
          throw Status.UNIMPLEMENTED
              .withDescription("the Qdrant stand-in does not implement distance " + distance)
              .asRuntimeException();
    };
  }

  /** Whether a larger score is better: Euclid distances are smaller for closer points. */
  boolean largerIsBetter() {
    return distance != Distance.Euclid;
  }

  /** A sparse vector as sent: the {@code sparse} field, or the older flat data + indices. */
  @SuppressWarnings("deprecation") // older clients send the flat "data" and "indices" fields
  static Sparse sparse(Vector vector) {
    List<Integer> indices;
    List<Float> values;
    if (vector.hasSparse()) {
      indices = vector.getSparse().getIndicesList();
      values = vector.getSparse().getValuesList();
    } else if (vector.hasIndices()) {
      indices = vector.getIndices().getDataList();
      values = vector.getDataList();
    } else {
      throw invalid("a named sparse vector must be sparse");
    }
    if (indices.size() != values.size()) {
      throw invalid("sparse vector indices and values differ in length");
    }
    if (new HashSet<>(indices).size() != indices.size()) {
      throw invalid("sparse vector indices must be unique");
    }
    return new Sparse(List.copyOf(indices), List.copyOf(values));
  }

  /**
   * Scores of every point matching {@code filter} that shares an index with the query, by dot
   * product of the sparse vectors named {@code name}; with the IDF modifier each index's product is
   * multiplied by {@code ln(1 + (N - n + 0.5) / (n + 0.5))}, N the points holding that sparse
   * vector, n those holding the index: Qdrant's formula.
   */
  synchronized Map<StoredPoint, Float> scoreSparse(String name, Sparse query, Filter filter) {
    SparseVectorParams params = sparseVectors.get(name);
    if (params == null) {
      throw invalid("Not existing vector name error: " + name);
    }
    boolean idf = params.hasModifier() && params.getModifier() == Modifier.Idf;
    Map<Integer, Double> weights = new HashMap<>();
    for (int i = 0; i < query.indices().size(); i++) {
      weights.merge(query.indices().get(i), (double) query.values().get(i), Double::sum);
    }
    Map<Integer, Double> idfs = new HashMap<>();
    if (idf) {
      long total = 0;
      Map<Integer, Long> holding = new HashMap<>();
      for (StoredPoint p : points.values()) {
        Sparse v = p.sparse().get(name);
        if (v == null) {
          continue;
        }
        total++;
        for (int index : v.indices()) {
          if (weights.containsKey(index)) {
            holding.merge(index, 1L, Long::sum);
          }
        }
      }
      for (Map.Entry<Integer, Long> e : holding.entrySet()) {
        long n = e.getValue();
        idfs.put(e.getKey(), Math.log(1 + (total - n + 0.5) / (n + 0.5)));
      }
    }
    Map<StoredPoint, Float> scores = new LinkedHashMap<>();
    for (StoredPoint p : matching(filter)) {
      Sparse v = p.sparse().get(name);
      if (v == null) {
        continue;
      }
      double score = 0;
      boolean shares = false;
      for (int i = 0; i < v.indices().size(); i++) {
        Double w = weights.get(v.indices().get(i));
        if (w != null) {
          shares = true;
          score += w * v.values().get(i) * (idf ? idfs.getOrDefault(v.indices().get(i), 0.0) : 1);
        }
      }
      if (shares) {
        scores.put(p, (float) score);
      }
    }
    return scores;
  }

  @SuppressWarnings("deprecation") // older clients send the flat "data" field
  static float[] dense(Vector vector) {
    List<Float> data = vector.hasDense() ? vector.getDense().getDataList() : vector.getDataList();
    if (vector.hasSparse() || vector.hasMultiDense() || vector.hasDocument()) {
      throw Status.UNIMPLEMENTED
          .withDescription("the Qdrant stand-in stores dense vectors only")
          .asRuntimeException();
    }
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = data.get(i);
    }
    return values;
  }

  static void checkId(PointId id) {
    if (id.getPointIdOptionsCase() == PointId.PointIdOptionsCase.UUID) {
      try {
        java.util.UUID.fromString(id.getUuid());
      } catch (IllegalArgumentException e) {
        throw invalid("Unable to parse UUID: " + id.getUuid());
      }
    } else if (id.getPointIdOptionsCase() != PointId.PointIdOptionsCase.NUM) {
      throw invalid("point id is missing");
    }
  }

  static String describe(PointId id) {
    return id.hasUuid() ? id.getUuid() : Long.toUnsignedString(id.getNum());
  }

  static RuntimeException invalid(String message) {
    return Status.INVALID_ARGUMENT.withDescription("Wrong input: " + message).asRuntimeException();
  }
}
