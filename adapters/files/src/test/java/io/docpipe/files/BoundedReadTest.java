package io.docpipe.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import org.junit.jupiter.api.Test;

class BoundedReadTest {

  @Test
  void readsEverything_whenTheSizeIsAsExpected() throws Exception {
    byte[] bytes = bytes(10_000);

    assertThat(BoundedRead.readAtMost(channel(bytes), bytes.length, 10_000)).isEqualTo(bytes);
  }

  @Test
  void readsEverything_whenTheChannelIsLongerOrShorterThanExpected() throws Exception {
    byte[] bytes = bytes(100_000);

    assertThat(BoundedRead.readAtMost(channel(bytes), 10, 1 << 20)).isEqualTo(bytes);
    assertThat(BoundedRead.readAtMost(channel(bytes), 500_000, 1 << 20)).isEqualTo(bytes);
    assertThat(BoundedRead.readAtMost(channel(new byte[0]), 0, 0)).isEmpty();
  }

  @Test
  void givesUp_oneBytePastTheLimit_onAnEndlessChannel() throws Exception {
    CountingEndlessChannel endless = new CountingEndlessChannel();

    assertThat(BoundedRead.readAtMost(endless, 0, 1000)).isNull();
    assertThat(endless.read).isEqualTo(1001);
  }

  @Test
  void givesUp_whenAChannelGrowsPastTheLimitWhileRead() throws Exception {
    byte[] bytes = bytes(2000);

    assertThat(BoundedRead.readAtMost(channel(bytes), 1000, 1000)).isNull();
    assertThat(BoundedRead.readAtMost(channel(bytes), 1000, 1999)).isNull();
    assertThat(BoundedRead.readAtMost(channel(bytes), 1000, 2000)).isEqualTo(bytes);
  }

  private static byte[] bytes(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31);
    }
    return bytes;
  }

  private static ReadableByteChannel channel(byte[] bytes) {
    return Channels.newChannel(new ByteArrayInputStream(bytes));
  }

  /** A channel of zeros without end that counts what it hands out. */
  private static final class CountingEndlessChannel implements ReadableByteChannel {
    long read;

    @Override
    public int read(ByteBuffer destination) {
      int n = Math.min(destination.remaining(), 7);
      destination.position(destination.position() + n);
      read += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
