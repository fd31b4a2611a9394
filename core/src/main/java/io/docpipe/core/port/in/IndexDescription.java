package io.docpipe.core.port.in;

import java.util.Objects;

/**
 * What the index holds: {@code points} vectors of {@code dimension} floats made by {@code model}.
 */
public record IndexDescription(String model, int dimension, long points) {

  public IndexDescription {
    Objects.requireNonNull(model, "model");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be positive: " + dimension);
    }
    if (points < 0) {
      throw new IllegalArgumentException("points must not be negative: " + points);
    }
  }
}
