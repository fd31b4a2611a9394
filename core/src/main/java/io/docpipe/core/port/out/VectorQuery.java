package io.docpipe.core.port.out;

import io.docpipe.core.model.MetadataFilter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A nearest-neighbour query: the {@code k} most cosine-similar points that match {@code filter} and
 * score at least {@code minScore}. {@code exact} asks for exhaustive search instead of an
 * approximate index (slower, used by evaluations); stores without an exact mode may ignore it.
 */
public record VectorQuery(
    float[] vector, int k, MetadataFilter filter, @Nullable Double minScore, boolean exact) {

  public VectorQuery {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(filter, "filter");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1: " + k);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VectorQuery q
        && java.util.Arrays.equals(vector, q.vector)
        && k == q.k
        && filter.equals(q.filter)
        && Objects.equals(minScore, q.minScore)
        && exact == q.exact;
  }

  @Override
  public int hashCode() {
    return Objects.hash(java.util.Arrays.hashCode(vector), k, filter, minScore, exact);
  }

  @Override
  public String toString() {
    return "VectorQuery[dim="
        + vector.length
        + ", k="
        + k
        + ", filter="
        + filter
        + ", minScore="
        + minScore
        + ", exact="
        + exact
        + "]";
  }
}
