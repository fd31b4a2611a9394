package io.docpipe.wiring;

import java.util.Objects;

/**
 * A secret configuration value (an API key, a token). Its {@link #toString()} never shows the
 * value, so records, logs and exception messages that include it stay safe; call {@link #reveal()}
 * only where the value is sent to the service that needs it.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  public static Secret of(String value) {
    Objects.requireNonNull(value, "value");
    if (value.isBlank()) {
      throw new IllegalArgumentException("a secret must not be blank");
    }
    return new Secret(value);
  }

  public String reveal() {
    return value;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s
        && java.security.MessageDigest.isEqual(
            value.getBytes(java.nio.charset.StandardCharsets.UTF_8),
            s.value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Override
  public int hashCode() {
    return 0; // no information about the value, even through hashing
  }

  @Override
  public String toString() {
    return "Secret[****]";
  }
}
