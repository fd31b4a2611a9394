package io.docpipe.core.model;

import java.util.Comparator;
import java.util.Objects;

/**
 * The stable identity of a document across runs (a path relative to a corpus root, an S3 key, a
 * caller's id). Ordered by Unicode code point, which is also the byte order of its UTF-8 form, so
 * local listings sort the way S3 lists keys.
 */
public record DocumentId(String value) implements Comparable<DocumentId> {

  /** Longest id accepted, in chars; S3 keys are at most 1,024 bytes. */
  public static final int MAX_LENGTH = 1024;

  private static final Comparator<String> CODE_POINT_ORDER =
      (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
          int ca = a.codePointAt(i);
          int cb = b.codePointAt(j);
          if (ca != cb) {
            return Integer.compare(ca, cb);
          }
          i += Character.charCount(ca);
          j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
      };

  public DocumentId {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("document id must not be blank");
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "document id is " + value.length() + " chars long; the limit is " + MAX_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            "document id contains control character U+%04X at %d".formatted((int) c, i));
      }
      if (Character.isHighSurrogate(c)
          ? i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(++i))
          : Character.isLowSurrogate(c)) {
        throw new IllegalArgumentException("document id contains an unpaired surrogate at " + i);
      }
    }
  }

  public static DocumentId of(String value) {
    return new DocumentId(value);
  }

  @Override
  public int compareTo(DocumentId other) {
    return CODE_POINT_ORDER.compare(value, other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
