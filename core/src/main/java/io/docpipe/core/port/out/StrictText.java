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
    return decodeUtf8(content, MAX_ARRAY_LENGTH);
  }

  /**
   * {@link #decodeUtf8(Content)} that fails with {@code TOO_LARGE} as soon as the text passes
   * {@code maxChars}, holding at most that many chars (and no copy of the bytes) on the way.
   */
  public static String decodeUtf8(Content content, int maxChars) throws ExtractionException {
    ByteBuffer bytes = content.asReadOnlyBuffer();
    int size = bytes.remaining();
    for (int i = 0; i < size; i++) {
      if (bytes.get(i) == 0) {
        throw new ExtractionException(
            FailureReason.BINARY, "binary content: NUL byte at offset " + i + ", not text");
      }
    }
    boolean bom =
        size >= 3
            && (bytes.get(0) & 0xff) == 0xef
            && (bytes.get(1) & 0xff) == 0xbb
            && (bytes.get(2) & 0xff) == 0xbf;
    bytes.position(bom ? 3 : 0);
    return decode(bytes, StandardCharsets.UTF_8, maxChars);
  }

  /**
   * Decodes text files as Windows and Unix tools write them: UTF-16 or UTF-32 when the content
   * starts with their byte order mark, otherwise strict UTF-8 ({@link #decodeUtf8(Content, int)}).
   * The byte order mark never reaches the text. UTF-16 without a byte order mark is not guessed:
   * its NUL bytes make it {@code BINARY}. A NUL character in the decoded text also means {@code
   * BINARY}.
   */
  public static String decodeText(Content content, int maxChars) throws ExtractionException {
    ByteBuffer bytes = content.asReadOnlyBuffer();
    Charset wide = null;
    int bomLength = 0;
    int size = bytes.remaining();
    int b0 = size > 0 ? bytes.get(0) & 0xff : -1;
    int b1 = size > 1 ? bytes.get(1) & 0xff : -1;
    int b2 = size > 2 ? bytes.get(2) & 0xff : -1;
    int b3 = size > 3 ? bytes.get(3) & 0xff : -1;
    // UTF-32LE's mark starts with UTF-16LE's, so it is checked first.
    if (b0 == 0xff && b1 == 0xfe && b2 == 0 && b3 == 0) {
      wide = Charset.forName("UTF-32LE");
      bomLength = 4;
    } else if (b0 == 0 && b1 == 0 && b2 == 0xfe && b3 == 0xff) {
      wide = Charset.forName("UTF-32BE");
      bomLength = 4;
    } else if (b0 == 0xff && b1 == 0xfe) {
      wide = StandardCharsets.UTF_16LE;
      bomLength = 2;
    } else if (b0 == 0xfe && b1 == 0xff) {
      wide = StandardCharsets.UTF_16BE;
      bomLength = 2;
    }
    if (wide == null) {
      return decodeUtf8(content, maxChars);
    }
    bytes.position(bomLength);
    String text = decode(bytes, wide, maxChars);
    int nul = text.indexOf('\u0000');
    if (nul >= 0) {
      throw new ExtractionException(
          FailureReason.BINARY,
          "binary content: NUL character at char " + nul + " of " + wide.name() + " text");
    }
    return text;
  }

  /** {@link #decodeText(Content, int)} without a length limit. */
  public static String decodeText(Content content) throws ExtractionException {
    return decodeText(content, MAX_ARRAY_LENGTH);
  }

  /**
   * Decodes {@code bytes[from..]} with {@code charset}, failing with {@code INVALID_ENCODING} and
   * the byte offset at the first byte sequence the charset does not define.
   */
  public static String decode(byte[] bytes, int from, Charset charset) throws ExtractionException {
    return decode(ByteBuffer.wrap(bytes, from, bytes.length - from), charset, MAX_ARRAY_LENGTH);
  }

  private static String decode(ByteBuffer in, Charset charset, int maxChars)
      throws ExtractionException {
    if (maxChars < 0) {
      throw new IllegalArgumentException("maxChars must be >= 0: " + maxChars);
    }
    // One char more than allowed: filling it proves the text is too long.
    int cap = (int) Math.min(MAX_ARRAY_LENGTH, maxChars + 1L);
    CharsetDecoder decoder =
        charset
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    CharBuffer out = CharBuffer.allocate((int) Math.min(cap, (long) in.remaining() + 16));
    while (true) {
      CoderResult result = decoder.decode(in, out, true);
      if (result.isOverflow()) {
        out = grow(out, cap, maxChars);
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
        out = grow(out, cap, maxChars);
        continue;
      }
      if (result.isError()) {
        throw new ExtractionException(
            FailureReason.INVALID_ENCODING, "invalid " + charset.name() + " at end of input");
      }
      break;
    }
    if (out.position() > maxChars) {
      throw tooLong(maxChars);
    }
    out.flip();
    return out.toString();
  }

  private static ExtractionException tooLong(int maxChars) {
    return new ExtractionException(
        FailureReason.TOO_LARGE, "text passes " + maxChars + " chars; decoding stopped there");
  }

  private static CharBuffer grow(CharBuffer out, int cap, int maxChars) throws ExtractionException {
    if (out.capacity() >= cap) {
      throw tooLong(maxChars);
    }
    CharBuffer bigger = CharBuffer.allocate((int) Math.min(cap, 2L * out.capacity() + 16));
    out.flip();
    bigger.put(out);
    return bigger;
  }
}
