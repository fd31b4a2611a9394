package io.docpipe.lucene;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntField;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.util.BytesRef;
import org.jspecify.annotations.Nullable;

/**
 * How a point is laid out as a Lucene document: one document per point, its vector unit-length in a
 * dot-product HNSW field (so dot product is cosine), the chunk text analysed for BM25 ({@code
 * lexical}), payload fields stored, {@code doc_id} and each metadata key ({@code m.<key>}) indexed
 * as keywords.
 */
final class PointDocuments {

  static final String ID = "id";

  /**
   * The point id again, as two numeric doc values (its UUID's high and low 64 bits, see {@link
   * #unsignedOrder}): a lexical search sorts by score and then by them, which is the id's string
   * order, reading two longs per competitive hit instead of a compressed term (ADR 0031). Fields of
   * their own, because Lucene refuses to add doc values to a field that older segments of the index
   * hold without them; segments written before them read the stored id.
   */
  static final String ID_HIGH = "id.high";

  static final String ID_LOW = "id.low";

  /**
   * The stamp of the version a point belongs to ({@link DocumentWrite#stamp()}), a numeric doc
   * value: a write reads the stored version's and replaces it only with a newer one (ADR 0027).
   * Points written before stamps have none and count as the oldest.
   */
  static final String WRITE_STAMP = "write_stamp";

  static final String METADATA_PREFIX = "m.";
  static final String VECTOR = "vector";

  /**
   * The chunk text analysed for BM25 ({@link LexicalAnalysis#CHOSEN}), not stored: in the same
   * document as the vector, so it is written and deleted with it.
   */
  static final String LEXICAL = "lexical";

  /** Lucene scores dot products as {@code (1 + dot) / 2}; vectors are stored unit-length. */
  static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

  private PointDocuments() {}

  /**
   * Half of a UUID as a long whose signed order is the half's unsigned order: a UUID's string
   * (fixed width, lower-case hex) sorts as its two halves do unsigned, so sorting by the high then
   * the low value is sorting by the id's string, the order {@code SearchHit#BEST_FIRST} breaks ties
   * by. Its own inverse.
   */
  static long unsignedOrder(long half) {
    return half ^ Long.MIN_VALUE;
  }

  static Term documentTerm(DocumentId id) {
    return new Term(PointPayload.DOC_ID, id.value());
  }

  static List<Document> toDocuments(DocumentWrite write) {
    List<Document> documents = new ArrayList<>(write.points().size());
    for (Point point : write.points()) {
      Document document = toDocument(point);
      document.add(new NumericDocValuesField(WRITE_STAMP, write.stamp()));
      documents.add(document);
    }
    return documents;
  }

  static Document toDocument(Point point) {
    PointPayload payload = point.payload();
    Document document = new Document();
    document.add(new StringField(ID, point.id().toString(), Field.Store.YES));
    java.util.UUID uuid = point.id().value();
    document.add(new NumericDocValuesField(ID_HIGH, unsignedOrder(uuid.getMostSignificantBits())));
    document.add(new NumericDocValuesField(ID_LOW, unsignedOrder(uuid.getLeastSignificantBits())));
    document.add(
        new StringField(PointPayload.DOC_ID, payload.documentId().value(), Field.Store.YES));
    document.add(new StoredField(PointPayload.DOC_HASH, payload.documentHash().hex()));
    document.add(new IntField(PointPayload.CHUNK_INDEX, payload.chunkIndex(), Field.Store.YES));
    document.add(new StoredField(PointPayload.TEXT, payload.text()));
    document.add(new TextField(LEXICAL, payload.text(), Field.Store.NO));
    document.add(new StoredField(PointPayload.START, payload.start()));
    document.add(new StoredField(PointPayload.END, payload.end()));
    document.add(new StoredField(PointPayload.SOURCE, payload.source()));
    payload
        .metadata()
        .forEach(
            (key, value) ->
                document.add(new StringField(METADATA_PREFIX + key, value, Field.Store.YES)));
    document.add(new KnnFloatVectorField(VECTOR, unitLength(point.vector()), SIMILARITY));
    document.add(
        new BinaryDocValuesField(HitPayloads.FIELD, HitPayloads.encode(point.id(), payload)));
    return document;
  }

  static PointId pointId(Document document) {
    return new PointId(UUID.fromString(required(document, ID)));
  }

  static PointPayload payload(Document document) {
    Map<String, String> metadata = new TreeMap<>();
    for (IndexableField field : document) {
      if (field.name().startsWith(METADATA_PREFIX)) {
        metadata.put(field.name().substring(METADATA_PREFIX.length()), field.stringValue());
      }
    }
    return new PointPayload(
        new DocumentId(required(document, PointPayload.DOC_ID)),
        new ContentHash(required(document, PointPayload.DOC_HASH)),
        intValue(document, PointPayload.CHUNK_INDEX),
        required(document, PointPayload.TEXT),
        intValue(document, PointPayload.START),
        intValue(document, PointPayload.END),
        required(document, PointPayload.SOURCE),
        metadata);
  }

  /** The filter as a Lucene query, or null for the empty filter (everything matches). */
  static @Nullable Query filterQuery(MetadataFilter filter) {
    if (filter.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder all = new BooleanQuery.Builder();
    for (MetadataFilter.Condition condition : filter.conditions()) {
      String field = METADATA_PREFIX + condition.key();
      Query query =
          switch (condition) {
            case MetadataFilter.Equals equals -> new TermQuery(new Term(field, equals.value()));
            case MetadataFilter.AnyOf anyOf ->
                new TermInSetQuery(field, anyOf.values().stream().map(BytesRef::new).toList());
          };
      all.add(query, BooleanClause.Occur.FILTER);
    }
    return all.build();
  }

  /** Like {@link #filterQuery} but never null: the empty filter matches every point. */
  static Query matchQuery(MetadataFilter filter) {
    Query query = filterQuery(filter);
    return query == null ? MatchAllDocsQuery.INSTANCE : query;
  }

  /**
   * A unit-length copy of {@code vector}, so that a dot product is a cosine; null for the zero
   * vector, which has no direction.
   */
  static float @Nullable [] unitLengthOrNull(float[] vector) {
    double sum = 0;
    for (float v : vector) {
      sum += (double) v * v;
    }
    if (sum == 0) {
      return null;
    }
    double norm = Math.sqrt(sum);
    float[] unit = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      unit[i] = (float) (vector[i] / norm);
    }
    return unit;
  }

  private static float[] unitLength(float[] vector) {
    float[] unit = unitLengthOrNull(vector);
    if (unit == null) {
      throw new IllegalStateException("zero vectors are refused before they reach a document");
    }
    return unit;
  }

  private static String required(Document document, String field) {
    String value = document.get(field);
    if (value == null) {
      throw new VectorStoreException("stored point has no '" + field + "' field", false);
    }
    return value;
  }

  private static int intValue(Document document, String field) {
    IndexableField stored = document.getField(field);
    if (stored == null || stored.numericValue() == null) {
      throw new VectorStoreException("stored point has no numeric '" + field + "' field", false);
    }
    return stored.numericValue().intValue();
  }
}
