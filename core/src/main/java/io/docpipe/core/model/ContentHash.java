package io.docpipe.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** A SHA-256 digest in lower-case hex: how docpipe tells whether a document changed. */
public record ContentHash(String hex) {

  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public ContentHash {
    Objects.requireNonNull(hex, "hex");
    if (!SHA256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a lower-case SHA-256 hex digest: " + hex);
    }
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
