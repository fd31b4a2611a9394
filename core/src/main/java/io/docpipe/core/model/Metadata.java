package io.docpipe.core.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Validation for document metadata: string keys and values that travel with every chunk and can be
 * filtered on. Keys are restricted so that every vector store can index them as field names.
 */
public final class Metadata {

  public static final int MAX_ENTRIES = 64;
  public static final int MAX_VALUE_LENGTH = 2048;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

  private Metadata() {}

  /** An immutable, key-sorted copy of {@code metadata}, or an exception naming the bad entry. */
  public static Map<String, String> copyOf(Map<String, String> metadata) {
    Objects.requireNonNull(metadata, "metadata");
    if (metadata.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "metadata has " + metadata.size() + " entries; the limit is " + MAX_ENTRIES);
    }
    TreeMap<String, String> sorted = new TreeMap<>();
    metadata.forEach(
        (key, value) -> {
          checkKey(key);
          Objects.requireNonNull(value, () -> "metadata value for '" + key + "' is null");
          if (value.length() > MAX_VALUE_LENGTH) {
            throw new IllegalArgumentException(
                "metadata value for '" + key + "' is longer than " + MAX_VALUE_LENGTH + " chars");
          }
          sorted.put(key, value);
        });
    return java.util.Collections.unmodifiableMap(sorted);
  }

  public static String checkKey(String key) {
    Objects.requireNonNull(key, "metadata key");
    if (!KEY.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "metadata key '" + key + "' must match " + KEY.pattern() + " (letters, digits, _ . -)");
    }
    return key;
  }
}
