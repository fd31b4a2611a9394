package io.docpipe.core.port.out;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.FailureReason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict decoding for extractors: binary and malformed input fail with a clear reason. */
public final class StrictText {

  private static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

  private StrictText() {}

  /**
   * Decodes {@code content} as UTF-8 (a leading byte order mark is dropped). A NUL byte means
   * binary content; a malformed sequence fails with the byte offset where it starts.
   */
  public static String decodeUtf8(Content content) throws ExtractionException {
    byte[] bytes = content.toByteArray();
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new ExtractionException(
            FailureReason.BINARY, "binary content: NUL byte at offset " + i + ", not text");
      }
    }
    boolean bom =
        bytes.length >= 3
            && (bytes[0] & 0xff) == 0xef
            && (bytes[1] & 0xff) == 0xbb
            && (bytes[2] & 0xff) == 0xbf;
    return decode(bytes, bom ? 3 : 0, StandardCharsets.UTF_8);
  }

  /**
   * Decodes {@code bytes[from..]} with {@code charset}, failing with {@code INVALID_ENCODING} and
   * the byte offset at the first byte sequence the charset does not define.
   */
  public static String decode(byte[] bytes, int from, Charset charset) throws ExtractionException {
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, from, bytes.length - from);
    CharBuffer out =
        CharBuffer.allocate((int) Math.min(MAX_ARRAY_LENGTH, (long) in.remaining() + 16));
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isOverflow()) {
        out = grow(out);
        continue;
      }
      if (result.isError()) {
        throw new ExtractionException(
            FailureReason.INVALID_ENCODING,
            "invalid "
                + charset.name()
                + " at byte offset "
                + in.position()
                + " ("
                + result.length()
                + " bad byte(s))");
      }
      break;
    }
    while (true) {
      CoderResult result = decoder.flush(out);
      if (result.isOverflow()) {
        out = grow(out);
        continue;
      }
      if (result.isError()) {
        throw new ExtractionException(
            FailureReason.INVALID_ENCODING, "invalid " + charset.name() + " at end of input");
      }
      break;
    }
    out.flip();
    return out.toString();
  }

  private static CharBuffer grow(CharBuffer out) {
    CharBuffer bigger =
        CharBuffer.allocate((int) Math.min(MAX_ARRAY_LENGTH, 2L * out.capacity() + 16));
    out.flip();
    bigger.put(out);
    return bigger;
  }
}
