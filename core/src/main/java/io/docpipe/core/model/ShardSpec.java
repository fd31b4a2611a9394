package io.docpipe.core.model;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One shard of a corpus: a document belongs to shard {@code index} of {@code count} when {@code
 * floorMod(hash(documentId), count) == index}, so workers split a corpus with no coordinator.
 */
public record ShardSpec(int index, int count) {

  public ShardSpec {
    if (count < 1) {
      throw new IllegalArgumentException("shard count must be >= 1: " + count);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException("shard index must be in [0, " + count + "): " + index);
    }
  }

  public static ShardSpec whole() {
    return new ShardSpec(0, 1);
  }

  public boolean owns(DocumentId id) {
    return shardOf(id, count) == index;
  }

  /** The shard a document belongs to: the first 8 bytes of SHA-256 of its UTF-8 id, mod count. */
  public static int shardOf(DocumentId id, int count) {
    byte[] digest = ContentHash.sha256().digest(id.value().getBytes(StandardCharsets.UTF_8));
    return (int) Math.floorMod(ByteBuffer.wrap(digest).getLong(), (long) count);
  }

  @Override
  public String toString() {
    return index + "/" + count;
  }
}
