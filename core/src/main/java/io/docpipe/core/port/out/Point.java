package io.docpipe.core.port.out;

import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import java.util.Arrays;
import java.util.Objects;

/** One vector to store, with its deterministic id and payload. */
public record Point(PointId id, float[] vector, PointPayload payload) {

  public Point {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(payload, "payload");
    if (!id.equals(payload.pointId())) {
      throw new IllegalArgumentException(
          "point id " + id + " does not match its payload's document and chunk");
    }
    for (float v : vector) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException("vector of point " + id + " has a non-finite value");
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Point p
        && id.equals(p.id)
        && Arrays.equals(vector, p.vector)
        && payload.equals(p.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, Arrays.hashCode(vector), payload);
  }

  @Override
  public String toString() {
    return "Point["
        + id
        + ", dim="
        + vector.length
        + ", "
        + payload.documentId()
        + "#"
        + payload.chunkIndex()
        + "]";
  }
}
