package io.docpipe.http;

import java.net.URI;

/** URLs as they may appear in messages and metadata. */
final class Urls {

  private Urls() {}

  /**
   * {@code uri} without query, fragment or user info, which may carry credentials (signed URLs,
   * tokens), and cut to a readable length.
   */
  static String redacted(URI uri) {
    String scheme = uri.getScheme();
    String authority = uri.getRawAuthority();
    String text;
    if (scheme == null || authority == null) {
      text = scheme == null ? "(relative URL)" : scheme + ":…";
    } else {
      int at = authority.lastIndexOf('@');
      String hostPart = at < 0 ? authority : "…@" + authority.substring(at + 1);
      String path = uri.getRawPath() == null ? "" : uri.getRawPath();
      text =
          scheme
              + "://"
              + hostPart
              + path
              + (uri.getRawQuery() == null && uri.getRawFragment() == null ? "" : "?…");
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "…";
  }
}
