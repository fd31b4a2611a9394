package io.docpipe.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** A SHA-256 digest in lower-case hex: how docpipe tells whether a document changed. */
public record ContentHash(String hex) {

  private static final int HEX_DIGITS = 64;

  public ContentHash {
    Objects.requireNonNull(hex, "hex");
    if (!isSha256Hex(hex)) {
      throw new IllegalArgumentException("not a lower-case SHA-256 hex digest: " + hex);
    }
  }

  /**
   * Whether {@code hex} is 64 lower-case hex digits. A loop, not a regular expression: every search
   * hit read from a store builds one (a regex here was 17% of a loaded search service's Java time).
   */
  private static boolean isSha256Hex(String hex) {
    if (hex.length() != HEX_DIGITS) {
      return false;
    }
    for (int i = 0; i < HEX_DIGITS; i++) {
      char c = hex.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  public static ContentHash of(byte[] bytes) {
    return new ContentHash(HexFormat.of().formatHex(sha256().digest(bytes)));
  }

  public static ContentHash of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** A new SHA-256 digest; every JDK has one. */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  @Override
  public String toString() {
    return hex;
  }
}
