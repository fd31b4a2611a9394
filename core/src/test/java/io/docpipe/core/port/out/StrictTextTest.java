package io.docpipe.core.port.out;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.FailureReason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StrictTextTest {

  @Test
  void boundedDecoding_returnsTextUpToTheLimit_andFailsOneCharPastIt() throws Exception {
    Content exact = Content.ofUtf8("é".repeat(100)); // 200 bytes, 100 chars

    assertThat(StrictText.decodeUtf8(exact, 100)).hasSize(100);
    assertThatThrownBy(() -> StrictText.decodeUtf8(exact, 99))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE))
        .hasMessageContaining("99 chars");
  }

  @Test
  void boundedDecoding_keepsTheOtherChecks() {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'h', 'i'};
    byte[] invalid = {'o', 'k', (byte) 0xe9, 'x'};
    byte[] binary = {'a', 0, 'b'};

    assertThat(decodeQuietly(bom, 2)).isEqualTo("hi");
    assertThatThrownBy(() -> StrictText.decodeUtf8(Content.of(invalid), 100))
        .isInstanceOfSatisfying(
            ExtractionException.class,
            e -> assertThat(e.reason()).isEqualTo(FailureReason.INVALID_ENCODING))
        .hasMessageContaining("byte offset 2");
    assertThatThrownBy(() -> StrictText.decodeUtf8(Content.of(binary), 100))
        .isInstanceOfSatisfying(
            ExtractionException.class, e -> assertThat(e.reason()).isEqualTo(FailureReason.BINARY));
  }

  @Test
  void unboundedDecoding_isUnchanged() throws Exception {
    String text = "Grüße \uD83D\uDE00 ".repeat(10_000);

    assertThat(StrictText.decodeUtf8(Content.ofUtf8(text))).isEqualTo(text);
    assertThat(
            StrictText.decode(
                ("xx" + text).getBytes(StandardCharsets.UTF_8), 2, StandardCharsets.UTF_8))
        .isEqualTo(text);
  }

  private static String decodeQuietly(byte[] bytes, int maxChars) {
    try {
      return StrictText.decodeUtf8(Content.of(bytes), maxChars);
    } catch (ExtractionException e) {
      throw new AssertionError(e);
    }
  }
}
