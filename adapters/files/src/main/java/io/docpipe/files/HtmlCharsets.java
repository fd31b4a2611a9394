package io.docpipe.files;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.jspecify.annotations.Nullable;

/**
 * Decoding an HTML file's bytes: the charset comes from a byte order mark, else from a {@code <meta
 * charset>} or {@code <meta http-equiv="Content-Type">} (or an XML declaration) near the start,
 * else it is UTF-8. Decoding is strict: bytes the charset does not define fail with {@code
 * INVALID_ENCODING}, and a NUL byte in an ASCII-compatible file means {@code BINARY}. Labels are
 * read as browsers read them: {@code iso-8859-1}, {@code latin1} and {@code us-ascii} mean
 * windows-1252, and a {@code <meta>} naming UTF-16 means UTF-8.
 */
final class HtmlCharsets {

  /** How far into the file a charset declaration is looked for. */
  static final int PRESCAN_BYTES = 8192;

  private static final Pattern XML_ENCODING =
      Pattern.compile("^\\s*<\\?xml[^>]*\\bencoding\\s*=\\s*[\"']([^\"']+)[\"']");
  private static final Pattern CONTENT_CHARSET =
      Pattern.compile("(?i)\\bcharset\\s*=\\s*[\"']?([^\\s\"';]+)");
  private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");

  private HtmlCharsets() {}

  static String decode(byte[] bytes) throws ExtractionException {
    if (startsWith(bytes, 0xfe, 0xff)) {
      return withoutNul(strict(bytes, 2, StandardCharsets.UTF_16BE));
    }
    if (startsWith(bytes, 0xff, 0xfe)) {
      return withoutNul(strict(bytes, 2, StandardCharsets.UTF_16LE));
    }
    if (startsWith(bytes, 0xef, 0xbb, 0xbf)) {
      return StrictText.decodeUtf8(Content.adopt(bytes));
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new ExtractionException(
            FailureReason.BINARY, "binary content: NUL byte at offset " + i + ", not HTML");
      }
    }
    Charset charset = declaredCharset(bytes);
    if (charset == null || charset.equals(StandardCharsets.UTF_8)) {
      return StrictText.decodeUtf8(Content.adopt(bytes));
    }
    return strict(bytes, 0, charset);
  }

  /** The charset the document declares near its start, or null when it declares none we know. */
  static @Nullable Charset declaredCharset(byte[] bytes) {
    String head =
        new String(bytes, 0, Math.min(bytes.length, PRESCAN_BYTES), StandardCharsets.ISO_8859_1);
    Matcher xml = XML_ENCODING.matcher(head);
    if (xml.find()) {
      Charset charset = forLabel(xml.group(1));
      if (charset != null) {
        return charset;
      }
    }
    for (Element meta : Jsoup.parse(head).select("meta[charset], meta[http-equiv][content]")) {
      String label = null;
      if (meta.hasAttr("charset")) {
        label = meta.attr("charset");
      } else if ("content-type".equalsIgnoreCase(meta.attr("http-equiv").strip())) {
        Matcher m = CONTENT_CHARSET.matcher(meta.attr("content"));
        if (m.find()) {
          label = m.group(1);
        }
      }
      Charset charset = label == null ? null : forLabel(label);
      if (charset != null) {
        return charset;
      }
    }
    return null;
  }

  /**
   * The charset a label names in an ASCII-compatible page, as browsers read it; null if unknown.
   */
  static @Nullable Charset forLabel(String label) {
    String name = label.strip().toLowerCase(Locale.ROOT);
    switch (name) {
      case "iso-8859-1",
          "iso8859-1",
          "iso_8859-1",
          "latin1",
          "l1",
          "cp819",
          "ibm819",
          "csisolatin1",
          "iso-ir-100",
          "us-ascii",
          "ascii",
          "ansi_x3.4-1968",
          "windows-1252",
          "cp1252",
          "x-cp1252" -> {
        return WINDOWS_1252;
      }
      default -> {
        // Handled below.
      }
    }
    if (name.startsWith("utf-16") || name.startsWith("utf-32") || name.equals("unicode")) {
      // An ASCII-compatible page cannot really be UTF-16: HTML reads this as UTF-8.
      return StandardCharsets.UTF_8;
    }
    try {
      return Charset.forName(name);
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      return null;
    }
  }

  /** Decodes {@code bytes[from..]} with {@code charset}, failing at the first undefined byte. */
  static String strict(byte[] bytes, int from, Charset charset) throws ExtractionException {
    return StrictText.decode(bytes, from, charset);
  }

  private static String withoutNul(String text) throws ExtractionException {
    int nul = text.indexOf('\0');
    if (nul >= 0) {
      throw new ExtractionException(
          FailureReason.BINARY, "binary content: NUL character at char " + nul + ", not HTML");
    }
    return text;
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
