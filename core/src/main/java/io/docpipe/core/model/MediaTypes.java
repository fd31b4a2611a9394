package io.docpipe.core.model;

import java.util.Locale;

/** The media types docpipe's own extractors understand, and media type normalisation. */
public final class MediaTypes {
  public static final String TEXT_PLAIN = "text/plain";
  public static final String MARKDOWN = "text/markdown";
  public static final String HTML = "text/html";
  public static final String OCTET_STREAM = "application/octet-stream";

  private MediaTypes() {}

  /** {@code "Text/HTML; charset=UTF-8"} becomes {@code "text/html"}. */
  public static String essence(String mediaType) {
    int semicolon = mediaType.indexOf(';');
    String essence = semicolon < 0 ? mediaType : mediaType.substring(0, semicolon);
    return essence.strip().toLowerCase(Locale.ROOT);
  }
}
