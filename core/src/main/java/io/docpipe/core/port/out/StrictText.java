package io.docpipe.core.port.out;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.FailureReason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding for extractors: binary and malformed input fail with a clear reason. */
public final class StrictText {

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
    int offset =
        bytes.length >= 3
                && (bytes[0] & 0xff) == 0xef
                && (bytes[1] & 0xff) == 0xbb
                && (bytes[2] & 0xff) == 0xbf
            ? 3
            : 0;
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, offset, bytes.length - offset);
    CharBuffer out =
        CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8L, (long) in.remaining() + 1));
    var result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new ExtractionException(
          FailureReason.INVALID_ENCODING,
          "invalid UTF-8 at byte offset "
              + in.position()
              + " ("
              + result.length()
              + " bad byte(s))");
    }
    try {
      result = decoder.flush(out);
      if (result.isError()) {
        result.throwException();
      }
    } catch (MalformedInputException e) {
      throw new ExtractionException(
          FailureReason.INVALID_ENCODING, "invalid UTF-8 at end of input", e);
    } catch (CharacterCodingException e) {
      throw new ExtractionException(FailureReason.INVALID_ENCODING, "invalid UTF-8: " + e, e);
    }
    out.flip();
    return out.toString();
  }
}
