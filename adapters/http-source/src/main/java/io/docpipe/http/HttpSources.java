package io.docpipe.http;

import io.docpipe.core.port.out.DocumentSource;
import java.util.Objects;

/** Documents fetched from URLs, behind an SSRF guard. */
public final class HttpSources {

  private HttpSources() {}

  /**
   * A source that fetches {@code https://} locations (and {@code http://} ones when {@link
   * HttpSourceSettings#allowHttp()}), refusing every location its guard does not allow with {@link
   * io.docpipe.core.model.FailureReason#INVALID_INPUT} before any connection is made.
   */
  public static DocumentSource source(HttpSourceSettings settings) {
    return new GuardedHttpSource(Objects.requireNonNull(settings, "settings"));
  }
}
