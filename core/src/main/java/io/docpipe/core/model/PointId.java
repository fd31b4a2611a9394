package io.docpipe.core.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;

/**
 * The id of one stored vector: a name-based UUID (version 5, RFC 9562) of the document id and chunk
 * index, so that re-running any ingestion overwrites instead of duplicating.
 */
public record PointId(UUID value) {

  /** docpipe's own namespace for version-5 point ids. Never change it: ids would all move. */
  public static final UUID NAMESPACE = UUID.fromString("5b0c5f5e-3c4e-4e39-9a8d-2f0e6a1d7c10");

  public PointId {
    Objects.requireNonNull(value, "value");
  }

  public static PointId of(DocumentId documentId, int chunkIndex) {
    if (chunkIndex < 0) {
      throw new IllegalArgumentException("chunk index must be >= 0: " + chunkIndex);
    }
    return new PointId(uuidV5(NAMESPACE, documentId.value() + "#" + chunkIndex));
  }

  static UUID uuidV5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-1", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50); // version 5
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // IETF variant
    ByteBuffer bb = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(bb.getLong(), bb.getLong());
  }

  @Override
  public String toString() {
    return value.toString();
  }
}
