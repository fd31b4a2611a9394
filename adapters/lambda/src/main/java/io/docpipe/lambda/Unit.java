package io.docpipe.lambda;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What succeeds or fails as a whole: one SQS message, or one record of an S3 notification. A unit
 * that could not be understood carries why ({@code malformed}) instead of work.
 */
record Unit(String id, List<WorkItem> items, @Nullable String malformed) {

  Unit {
    Objects.requireNonNull(id, "id");
    items = List.copyOf(items);
  }

  static Unit of(String id, List<WorkItem> items) {
    return new Unit(id, items, null);
  }

  static Unit malformed(String id, String why) {
    return new Unit(id, List.of(), why);
  }
}
