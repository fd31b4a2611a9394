package io.docpipe.core.model;

import org.jspecify.annotations.Nullable;

/**
 * Text from outside (file names, document ids, failure details, chunk text) made safe to print on a
 * terminal or in a log line: C0 and C1 control characters (an ANSI escape {@code ESC [ 31 m}, a
 * lone CSI {@code U+009B}, a carriage return that overwrites a line, a newline that forges one),
 * DEL and the bidirectional overrides that reorder what is shown ("Trojan Source") are written as
 * {@code \xHH} or {@code \}{@code uHHHH}; everything else is kept.
 */
public final class Printable {

  private Printable() {}

  /** {@code String.valueOf(value)} with its control characters escaped. */
  public static String of(@Nullable Object value) {
    String s = String.valueOf(value);
    int i = 0;
    while (i < s.length() && !isControl(s.charAt(i))) {
      i++;
    }
    if (i == s.length()) {
      return s; // the usual case: nothing to escape, no copy
    }
    StringBuilder out = new StringBuilder(s.length() + 16).append(s, 0, i);
    for (; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isControl(c)) {
        out.append(c);
      } else if (c <= 0xff) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(String.format("\\u%04x", (int) c));
      }
    }
    return out.toString();
  }

  private static boolean isControl(char c) {
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || (c >= 0x202a && c <= 0x202e)
        || (c >= 0x2066 && c <= 0x2069)
        || c == 0x200e
        || c == 0x200f
        || c == 0x061c;
  }
}
