package io.docpipe.harness.qdrant;

import io.grpc.Status;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Common.Condition;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Match;
import io.qdrant.client.grpc.Common.PointId;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
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
  record StoredPoint(PointId id, float[] vector, Map<String, Value> payload) {}

  final String name;
  final int size;
  final Distance distance;
  private final Map<String, PayloadSchemaType> payloadIndexes = new TreeMap<>();
  private final Map<PointId, StoredPoint> points = new LinkedHashMap<>();

  /** Keyword payload indexes: field → value → points; they narrow filters, as Qdrant's do. */
  private final Map<String, Map<String, Set<PointId>>> keywordIndexes = new HashMap<>();

  StoredCollection(String name, int size, Distance distance) {
    this.name = Objects.requireNonNull(name);
    this.size = size;
    this.distance = Objects.requireNonNull(distance);
  }

  synchronized void upsert(List<PointStruct> structs) {
    List<StoredPoint> checked = new ArrayList<>(structs.size());
    for (PointStruct struct : structs) {
      checkId(struct.getId());
      if (!struct.hasVectors() || !struct.getVectors().hasVector()) {
        throw invalid("point " + describe(struct.getId()) + " has no (unnamed) vector");
      }
      float[] vector = dense(struct.getVectors().getVector());
      if (vector.length != size) {
        throw invalid("Vector dimension error: expected dim: " + size + ", got " + vector.length);
      }
      checked.add(new StoredPoint(struct.getId(), prepare(vector), struct.getPayloadMap()));
    }
    for (StoredPoint point : checked) {
      StoredPoint old = points.put(point.id(), point); // an upsert replaces vector and payload
      if (old != null) {
        unindex(old);
      }
      index(point);
    }
  }

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
