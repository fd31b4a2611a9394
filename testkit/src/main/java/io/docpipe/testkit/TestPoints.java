package io.docpipe.testkit;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.WriteStamps;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Test data for vector stores: seeded random unit vectors and whole-document writes whose text,
 * span, source and hash follow from the document id and a version label.
 */
public final class TestPoints {

  /**
   * Stamps for the writes built here, so that a write built after another is newer. A static clock
   * in test data only: runtimes get their {@link WriteStamps} from their graph.
   */
  private static final WriteStamps STAMPS = new WriteStamps(InstantSource.system());

  private TestPoints() {}

  /** A write stamp above every one this class gave before: for a version read now. */
  public static long nextStamp() {
    return STAMPS.next();
  }

  /** A random direction, uniform on the unit sphere. */
  public static float[] randomUnitVector(Random random, int dimension) {
    float[] vector = new float[dimension];
    double sum = 0;
    do {
      sum = 0;
      for (int i = 0; i < dimension; i++) {
        vector[i] = (float) random.nextGaussian();
        sum += (double) vector[i] * vector[i];
      }
    } while (sum == 0);
    double norm = Math.sqrt(sum);
    for (int i = 0; i < dimension; i++) {
      vector[i] = (float) (vector[i] / norm);
    }
    return vector;
  }

  /** {@code count} random unit vectors. */
  public static List<float[]> randomUnitVectors(Random random, int count, int dimension) {
    List<float[]> vectors = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      vectors.add(randomUnitVector(random, dimension));
    }
    return vectors;
  }

  /** The content hash of version {@code version} of document {@code id}. */
  public static ContentHash hash(String id, String version) {
    return ContentHash.of(id + "@" + version);
  }

  /** Version "v1" of a document without metadata, one chunk per vector. */
  public static DocumentWrite document(String id, List<float[]> vectors) {
    return document(id, "v1", Map.of(), vectors);
  }

  /** Version "v1" of a document whose chunks all carry {@code metadata}. */
  public static DocumentWrite document(
      String id, Map<String, String> metadata, List<float[]> vectors) {
    return document(id, "v1", metadata, vectors);
  }

  /**
   * A document's write: chunk {@code i} gets vector {@code i}, the same metadata on every chunk.
   */
  public static DocumentWrite document(
      String id, String version, Map<String, String> metadata, List<float[]> vectors) {
    DocumentId documentId = DocumentId.of(id);
    ContentHash hash = hash(id, version);
    List<Point> points = new ArrayList<>(vectors.size());
    for (int i = 0; i < vectors.size(); i++) {
      PointPayload payload = payload(documentId, hash, i, version, metadata);
      points.add(new Point(payload.pointId(), vectors.get(i), payload));
    }
    return new DocumentWrite(documentId, hash, points, nextStamp());
  }

  /** Chunk {@code chunkIndex} of a version of a document, with text, span and source. */
  public static PointPayload payload(
      DocumentId id,
      ContentHash hash,
      int chunkIndex,
      String version,
      Map<String, String> metadata) {
    String text = "chunk " + chunkIndex + " of " + id.value() + " (" + version + ")";
    int start = chunkIndex * 1000;
    return new PointPayload(
        id,
        hash,
        chunkIndex,
        text,
        start,
        start + text.length(),
        "test:///" + id.value(),
        metadata);
  }
}
