package io.docpipe.files;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Reads a channel to its end, but never more than one byte past a limit. */
final class BoundedRead {

  /** The largest array the JVM reliably allocates. */
  static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private static final int MIN_GROWTH = 8192;

  private BoundedRead() {}

  /**
   * All bytes of {@code channel}, or {@code null} when it holds more than {@code maxBytes} (then at
   * most {@code maxBytes + 1} bytes were read). {@code expectedSize} sizes the buffer; the channel
   * may turn out shorter or longer (a file that grows while read).
   */
  static byte @Nullable [] readAtMost(ReadableByteChannel channel, long expectedSize, long maxBytes)
      throws IOException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
    }
    int cap = (int) Math.min(maxBytes, MAX_ARRAY_LENGTH - 1);
    int limit = cap + 1;
    byte[] buffer = new byte[(int) Math.min(Math.max(expectedSize, 0), limit)];
    int length = 0;
    ByteBuffer probe = ByteBuffer.allocate(1);
    while (true) {
      if (length == buffer.length) {
        if (length >= limit) {
          break;
        }
        // Full at the expected size: grow only if there is more.
        probe.clear();
        int read = channel.read(probe);
        if (read < 0) {
          break;
        }
        if (read == 0) {
          continue;
        }
        long grown = Math.max(length + (long) MIN_GROWTH, 2L * length);
        buffer = Arrays.copyOf(buffer, (int) Math.min(grown, limit));
        buffer[length++] = probe.get(0);
        continue;
      }
      int read = channel.read(ByteBuffer.wrap(buffer, length, buffer.length - length));
      if (read < 0) {
        break;
      }
      length += read;
    }
    if (length > cap) {
      return null;
    }
    return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
  }
}
