package io.docpipe.core.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A conjunction of conditions on metadata: every condition must hold for a chunk to match. The
 * empty filter matches everything.
 */
public record MetadataFilter(List<MetadataFilter.Condition> conditions) {

  private static final MetadataFilter NONE = new MetadataFilter(List.of());

  public MetadataFilter {
    conditions = List.copyOf(conditions);
  }

  public static MetadataFilter none() {
    return NONE;
  }

  public static MetadataFilter of(Condition... conditions) {
    return new MetadataFilter(List.of(conditions));
  }

  public MetadataFilter and(Condition condition) {
    List<Condition> all = new ArrayList<>(conditions);
    all.add(condition);
    return new MetadataFilter(all);
  }

  public boolean isEmpty() {
    return conditions.isEmpty();
  }

  /** Whether metadata satisfies every condition; the reference semantics for every store. */
  public boolean matches(Map<String, String> metadata) {
    for (Condition c : conditions) {
      String actual = metadata.get(c.key());
      boolean ok =
          switch (c) {
            case Equals eq -> eq.value().equals(actual);
            case AnyOf any -> actual != null && any.values().contains(actual);
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A condition on one metadata key. */
  public sealed interface Condition permits Equals, AnyOf {
    String key();
  }

  /** {@code metadata[key] == value}. */
  public record Equals(String key, String value) implements Condition {
    public Equals {
      Metadata.checkKey(key);
      Objects.requireNonNull(value, "value");
    }
  }

  /** {@code metadata[key]} is one of {@code values} (at least one value). */
  public record AnyOf(String key, Set<String> values) implements Condition {
    public AnyOf {
      Metadata.checkKey(key);
      if (values.isEmpty()) {
        throw new IllegalArgumentException(
            "any-of filter on '" + key + "' needs at least one value");
      }
      values = java.util.Collections.unmodifiableSet(new TreeSet<>(values));
    }
  }

  public static Equals eq(String key, String value) {
    return new Equals(key, value);
  }

  public static AnyOf anyOf(String key, String... values) {
    return new AnyOf(key, Set.of(values));
  }
}
