package io.docpipe.qdrant;

import static io.qdrant.client.ValueFactory.value;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorStoreException;
import io.qdrant.client.ConditionFactory;
import io.qdrant.client.PointIdFactory;
import io.qdrant.client.VectorsFactory;
import io.qdrant.client.grpc.Common;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.PointStruct;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * docpipe's point layout in Qdrant: payload fields {@code doc_id}, {@code doc_hash}, {@code
 * chunk_index}, {@code text}, {@code start}, {@code end}, {@code source} and {@code metadata} (an
 * object of strings), and the core's filters as Qdrant filters over {@code metadata.<key>}.
 */
final class Payloads {

  static final String METADATA = "metadata";

  /**
   * The write stamp of the version a point belongs to ({@link
   * io.docpipe.core.port.out.DocumentWrite#stamp}): an older write never replaces a newer one's
   * points (ADR 0027). Points written before stamps existed have none and count as oldest.
   */
  static final String WRITE_STAMP = "write_stamp";

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_]+");

  private Payloads() {}

  /**
   * The point as Qdrant stores it: the dense vector unnamed, and beside it, when given, the chunk's
   * sparse {@link LexicalVectors#NAME} vector.
   */
  static PointStruct toStruct(
      Point point, io.qdrant.client.grpc.Points.@Nullable Vector lexical, long stamp) {
    PointPayload p = point.payload();
    Map<String, Value> metadata = new LinkedHashMap<>();
    p.metadata().forEach((k, v) -> metadata.put(k, value(v)));
    return PointStruct.newBuilder()
        .setId(PointIdFactory.id(point.id().value()))
        .setVectors(
            lexical == null
                ? VectorsFactory.vectors(point.vector())
                : VectorsFactory.namedVectors(
                    Map.of(
                        "",
                        io.qdrant.client.VectorFactory.vector(point.vector()),
                        LexicalVectors.NAME,
                        lexical)))
        .putPayload(PointPayload.DOC_ID, value(p.documentId().value()))
        .putPayload(PointPayload.DOC_HASH, value(p.documentHash().hex()))
        .putPayload(PointPayload.CHUNK_INDEX, value(p.chunkIndex()))
        .putPayload(PointPayload.TEXT, value(p.text()))
        .putPayload(PointPayload.START, value(p.start()))
        .putPayload(PointPayload.END, value(p.end()))
        .putPayload(PointPayload.SOURCE, value(p.source()))
        .putPayload(METADATA, value(metadata))
        .putPayload(WRITE_STAMP, value(stamp))
        .build();
  }

  /** The core payload of a stored point; a point docpipe did not write fails clearly. */
  static PointPayload fromPayload(Common.PointId id, Map<String, Value> payload) {
    try {
      Map<String, String> metadata = new LinkedHashMap<>();
      Value meta = payload.get(METADATA);
      if (meta != null && meta.hasStructValue()) {
        meta.getStructValue().getFieldsMap().forEach((k, v) -> metadata.put(k, v.getStringValue()));
      }
      PointPayload result =
          new PointPayload(
              DocumentId.of(string(payload, PointPayload.DOC_ID)),
              new ContentHash(string(payload, PointPayload.DOC_HASH)),
              integer(payload, PointPayload.CHUNK_INDEX),
              string(payload, PointPayload.TEXT),
              integer(payload, PointPayload.START),
              integer(payload, PointPayload.END),
              string(payload, PointPayload.SOURCE),
              metadata);
      if (!id.hasUuid() || !UUID.fromString(id.getUuid()).equals(result.pointId().value())) {
        throw new IllegalArgumentException("its id does not match its doc_id and chunk_index");
      }
      return result;
    } catch (IllegalArgumentException e) {
      throw new VectorStoreException(
          "point "
              + (id.hasUuid() ? id.getUuid() : Long.toUnsignedString(id.getNum()))
              + " was not written by docpipe: "
              + e.getMessage(),
          false,
          e);
    }
  }

  static PointId pointId(Common.PointId id) {
    return new PointId(UUID.fromString(id.getUuid()));
  }

  static String string(Map<String, Value> payload, String key) {
    Value v = payload.get(key);
    if (v == null || !v.hasStringValue()) {
      throw new IllegalArgumentException("payload field " + key + " is missing or not a string");
    }
    return v.getStringValue();
  }

  private static int integer(Map<String, Value> payload, String key) {
    Value v = payload.get(key);
    if (v == null || !v.hasIntegerValue()) {
      throw new IllegalArgumentException("payload field " + key + " is missing or not an integer");
    }
    return Math.toIntExact(v.getIntegerValue());
  }

  /** The payload path of a metadata key; keys with dots or dashes are quoted. */
  static String metadataPath(String key) {
    return METADATA + "." + (PLAIN_KEY.matcher(key).matches() ? key : "\"" + key + "\"");
  }

  /** Every condition must hold, as in the core: Equals → match keyword, AnyOf → match any. */
  static Filter filter(MetadataFilter filter) {
    Filter.Builder qdrant = Filter.newBuilder();
    for (MetadataFilter.Condition c : filter.conditions()) {
      qdrant.addMust(
          switch (c) {
            case MetadataFilter.Equals eq ->
                ConditionFactory.matchKeyword(metadataPath(eq.key()), eq.value());
            case MetadataFilter.AnyOf any ->
                ConditionFactory.matchKeywords(
                    metadataPath(any.key()), new ArrayList<>(any.values()));
          });
    }
    return qdrant.build();
  }

  static Filter documentFilter(DocumentId id) {
    return Filter.newBuilder()
        .addMust(ConditionFactory.matchKeyword(PointPayload.DOC_ID, id.value()))
        .build();
  }

  /**
   * The points of document {@code id} written with a stamp below {@code stamp}, or with none
   * (written before stamps): "not at or above", so that a point without the field matches too.
   */
  static Filter olderThan(DocumentId id, long stamp) {
    return Filter.newBuilder()
        .addMust(ConditionFactory.matchKeyword(PointPayload.DOC_ID, id.value()))
        .addMustNot(
            ConditionFactory.range(WRITE_STAMP, Common.Range.newBuilder().setGte(stamp).build()))
        .build();
  }

  /** {@link #olderThan}, past chunk 0: what a write removes before it writes its chunk 0. */
  static Filter olderChunksPastTheFirst(DocumentId id, long stamp) {
    return olderThan(id, stamp).toBuilder()
        .addMust(
            ConditionFactory.range(
                PointPayload.CHUNK_INDEX, Common.Range.newBuilder().setGte(1).build()))
        .build();
  }

  /** The points of document {@code id} written with exactly {@code stamp}. */
  static Filter stamped(DocumentId id, long stamp) {
    return Filter.newBuilder()
        .addMust(ConditionFactory.matchKeyword(PointPayload.DOC_ID, id.value()))
        .addMust(ConditionFactory.match(WRITE_STAMP, stamp))
        .build();
  }

  /** Points matching at least one of {@code filters}. */
  static Filter anyOf(List<Filter> filters) {
    Filter.Builder any = Filter.newBuilder();
    for (Filter f : filters) {
      any.addShould(ConditionFactory.filter(f));
    }
    return any.build();
  }

  /** The stamp a stored point was written with; 0 for one written before stamps. */
  static long stamp(Map<String, Value> payload) {
    Value v = payload.get(WRITE_STAMP);
    return v != null && v.hasIntegerValue() ? v.getIntegerValue() : 0;
  }
}
