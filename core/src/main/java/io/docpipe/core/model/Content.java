package io.docpipe.core.model;

import java.util.Arrays;

/** The raw bytes of a document, immutable and already bounded by the source that read them. */
public final class Content {

  private static final Content EMPTY = new Content(new byte[0]);
  private final byte[] bytes;

  private Content(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A copy of {@code bytes}. */
  public static Content of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Content(bytes.clone());
  }

  public static Content ofUtf8(String text) {
    return new Content(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /**
   * Takes ownership of {@code bytes} without copying; the caller must not change them afterwards.
   * For sources that just read a fresh buffer.
   */
  public static Content adopt(byte[] bytes) {
    return new Content(bytes);
  }

  public int size() {
    return bytes.length;
  }

  public boolean isEmpty() {
    return bytes.length == 0;
  }

  public byte[] toByteArray() {
    return bytes.clone();
  }

  /** The bytes as a read-only buffer, without copying them (for bounded decoders). */
  public java.nio.ByteBuffer asReadOnlyBuffer() {
    return java.nio.ByteBuffer.wrap(bytes).asReadOnlyBuffer();
  }

  public ContentHash hash() {
    return ContentHash.of(bytes);
  }

  /** Feeds the bytes to a digest without copying them. */
  public void updateDigest(java.security.MessageDigest digest) {
    digest.update(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Content other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "Content[" + bytes.length + " bytes]";
  }
}
