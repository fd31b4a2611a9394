package io.docpipe.harness;

import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.Point;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Compares two runtimes' indexes: the first difference, in a fixed order (documents by id, each
 * chunk by index: point id, payload, vector, then the chunk count; then each query's ranked hits),
 * or nothing.
 *
 * <p>Compared for equality: point ids, {@code doc_id}, {@code chunk_index}, {@code text}, the
 * chunk's character span and metadata. Vectors and scores: within {@link #TOLERANCE} per component,
 * because float sums may be ordered differently by the native runtime; in practice they have come
 * out bitwise equal here (same model, same thread count), and the tolerance only keeps the check
 * honest about what is promised.
 *
 * <p>Not compared, by design: {@code doc_hash}, {@code source} and the {@link #LOCATION_METADATA}
 * key {@code bucket} (the S3 source records the bucket; a file or an inline document has none). The
 * document hash covers the source URI and the media type as well as the bytes (so that a document
 * moved to another location is re-indexed), and each runtime sees the same text at another URI:
 * {@code s3://bucket/key} for Lambda, {@code inline:<id>} for Fargate, {@code file:///...} for GKE.
 * Equal hashes across runtimes would mean the hash ignored the source. What must be equal, the
 * content that was chunked and embedded, is compared through the chunk texts, spans and vectors.
 */
final class IndexComparison {

  static final double TOLERANCE = 1e-6;

  /** Metadata a source adds about where a document lives: {@code bucket} from S3 (Lambda). */
  static final Set<String> LOCATION_METADATA = Set.of("bucket");

  private IndexComparison() {}

  static Optional<String> firstDifference(RuntimeIndex a, RuntimeIndex b) {
    String pair = a.runtime() + " vs " + b.runtime() + ": ";
    SortedMap<String, List<Point>> documentsA = byDocument(a);
    SortedMap<String, List<Point>> documentsB = byDocument(b);
    Set<String> documents = new TreeSet<>(documentsA.keySet());
    documents.addAll(documentsB.keySet());
    for (String document : documents) {
      List<Point> chunksA = documentsA.getOrDefault(document, List.of());
      List<Point> chunksB = documentsB.getOrDefault(document, List.of());
      for (int i = 0; i < Math.min(chunksA.size(), chunksB.size()); i++) {
        Optional<String> difference = pointDifference(chunksA.get(i), chunksB.get(i));
        if (difference.isPresent()) {
          return Optional.of(pair + difference.get());
        }
      }
      if (chunksA.size() != chunksB.size()) {
        return Optional.of(
            pair
                + "document "
                + document
                + " has "
                + chunksA.size()
                + " vs "
                + chunksB.size()
                + " chunks");
      }
    }
    for (var entry : a.answers().entrySet()) {
      String query = entry.getKey();
      List<RuntimeIndex.RankedHit> hitsA = entry.getValue();
      List<RuntimeIndex.RankedHit> hitsB = b.answers().get(query);
      if (hitsB == null) {
        return Optional.of(pair + "no answer for query \"" + query + "\"");
      }
      for (int rank = 0; rank < Math.max(hitsA.size(), hitsB.size()); rank++) {
        RuntimeIndex.RankedHit x = rank < hitsA.size() ? hitsA.get(rank) : null;
        RuntimeIndex.RankedHit y = rank < hitsB.size() ? hitsB.get(rank) : null;
        if (x == null
            || y == null
            || !x.id().equals(y.id())
            || Math.abs(x.score() - y.score()) > TOLERANCE) {
          return Optional.of(
              pair
                  + "query \""
                  + query
                  + "\" differs at rank "
                  + (rank + 1)
                  + ": "
                  + x
                  + " vs "
                  + y);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * The documents whose points differ between {@code a} and {@code b} (or that only one holds), by
   * id: what the sidecar comparison measures.
   */
  static Set<String> differingDocuments(RuntimeIndex a, RuntimeIndex b) {
    SortedMap<String, List<Point>> documentsA = byDocument(a);
    SortedMap<String, List<Point>> documentsB = byDocument(b);
    Set<String> documents = new TreeSet<>(documentsA.keySet());
    documents.addAll(documentsB.keySet());
    Set<String> differing = new TreeSet<>();
    for (String document : documents) {
      List<Point> chunksA = documentsA.getOrDefault(document, List.of());
      List<Point> chunksB = documentsB.getOrDefault(document, List.of());
      boolean differs = chunksA.size() != chunksB.size();
      for (int i = 0; !differs && i < chunksA.size(); i++) {
        differs = pointDifference(chunksA.get(i), chunksB.get(i)).isPresent();
      }
      if (differs) {
        differing.add(document);
      }
    }
    return differing;
  }

  /**
   * The first document that is in {@code index} although it was removed, or missing although it
   * should be there: a runtime can agree with the others and still be wrong if all of them are.
   */
  static Optional<String> documentsOtherThan(
      RuntimeIndex index, Set<String> expected, Set<String> removed) {
    Set<String> present = byDocument(index).keySet();
    for (String id : new TreeSet<>(removed)) {
      if (present.contains(id)) {
        return Optional.of(
            index.runtime() + ": document " + id + " was removed but is still indexed");
      }
    }
    for (String id : expected) {
      if (!present.contains(id)) {
        return Optional.of(index.runtime() + ": document " + id + " is missing from the index");
      }
    }
    for (String id : present) {
      if (!expected.contains(id)) {
        return Optional.of(index.runtime() + ": document " + id + " is not in the corpus");
      }
    }
    return Optional.empty();
  }

  /**
   * How many vector components of the points both indexes hold are not bitwise equal: zero means
   * the runtimes computed the very same floats, not merely floats within {@link #TOLERANCE}.
   */
  static long bitwiseDifferentComponents(RuntimeIndex a, RuntimeIndex b) {
    long different = 0;
    for (var entry : a.points().entrySet()) {
      Point other = b.points().get(entry.getKey());
      if (other == null || other.vector().length != entry.getValue().vector().length) {
        continue;
      }
      float[] x = entry.getValue().vector();
      float[] y = other.vector();
      for (int i = 0; i < x.length; i++) {
        if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
          different++;
        }
      }
    }
    return different;
  }

  private static Optional<String> pointDifference(Point x, Point y) {
    PointPayload p = x.payload();
    PointPayload q = y.payload();
    String where = "document " + p.documentId().value() + " chunk " + p.chunkIndex() + ": ";
    if (!x.id().equals(y.id()) || p.chunkIndex() != q.chunkIndex()) {
      return Optional.of(where + "point " + x.id() + " vs " + y.id() + " (" + describe(y) + ")");
    }
    if (!p.text().equals(q.text())) {
      return Optional.of(where + "text differs:\n  «" + p.text() + "»\n  «" + q.text() + "»");
    }
    if (p.start() != q.start() || p.end() != q.end()) {
      return Optional.of(
          where + "span [" + p.start() + "," + p.end() + ") vs [" + q.start() + "," + q.end()
              + ")");
    }
    if (!comparableMetadata(p).equals(comparableMetadata(q))) {
      return Optional.of(where + "metadata " + p.metadata() + " vs " + q.metadata());
    }
    if (x.vector().length != y.vector().length) {
      return Optional.of(
          where + "vector lengths " + x.vector().length + " vs " + y.vector().length);
    }
    for (int i = 0; i < x.vector().length; i++) {
      if (Math.abs(x.vector()[i] - y.vector()[i]) > TOLERANCE) {
        return Optional.of(
            where + "vector component " + i + ": " + x.vector()[i] + " vs " + y.vector()[i]);
      }
    }
    return Optional.empty();
  }

  /** Each document's points in chunk order, documents by id. */
  private static SortedMap<String, List<Point>> byDocument(RuntimeIndex index) {
    SortedMap<String, List<Point>> documents = new TreeMap<>();
    for (Point point : index.points().values()) {
      documents
          .computeIfAbsent(point.payload().documentId().value(), d -> new ArrayList<>())
          .add(point);
    }
    documents
        .values()
        .forEach(chunks -> chunks.sort(Comparator.comparingInt(c -> c.payload().chunkIndex())));
    return documents;
  }

  /** The metadata without the keys that name the document's location (see the class comment). */
  private static Map<String, String> comparableMetadata(PointPayload payload) {
    Map<String, String> metadata = new TreeMap<>(payload.metadata());
    metadata.keySet().removeAll(LOCATION_METADATA);
    return metadata;
  }

  private static String describe(Point point) {
    return point.payload().documentId().value() + " chunk " + point.payload().chunkIndex();
  }
}
