package io.docpipe.tika;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the Tika Server listens and how long and how much one document may take there.
 *
 * @param url the server's root, e.g. {@code http://127.0.0.1:9998}; documents go to {@code
 *     <url>/tika}
 * @param timeout wall time per document, from the first byte sent to the last char read, restarts
 *     of the server waited for included; past it the document fails {@code EXTRACTION_TIMEOUT}
 * @param maxDocumentBytes larger documents fail {@code TOO_LARGE} without being sent
 * @param restartWait how long one document waits for a server that is down or restarting (its
 *     parser process is restarted after a crash in a few seconds) before it fails {@code
 *     EXTRACTION_UNAVAILABLE}, which is retriable; capped by {@code timeout}
 */
public record TikaSettings(URI url, Duration timeout, long maxDocumentBytes, Duration restartWait) {

  /** Where the sidecar listens in the ECS task and the GKE pod (same network namespace). */
  public static final URI DEFAULT_URL = URI.create("http://127.0.0.1:9998");

  /**
   * Shorter than the server's own per-document limit ({@code taskTimeoutMillis} in the shipped
   * tika-config.xml, 90 s): docpipe gives up first and reports a timeout, then Tika's watchdog
   * restarts the parser process that is still stuck on it.
   */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public static final long DEFAULT_MAX_DOCUMENT_BYTES = 64L * 1024 * 1024;

  /** Tika's forked parser process restarts in about 3 s on two cores. */
  public static final Duration DEFAULT_RESTART_WAIT = Duration.ofSeconds(20);

  public TikaSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(restartWait, "restartWait");
    if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme()))
        || url.getHost() == null
        || url.getRawQuery() != null) {
      throw new IllegalArgumentException(
          "the Tika Server URL must be an absolute http(s) URL without a query: " + url);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (restartWait.isNegative()) {
      throw new IllegalArgumentException("restart wait must not be negative: " + restartWait);
    }
    if (maxDocumentBytes < 1) {
      throw new IllegalArgumentException("max document bytes must be >= 1: " + maxDocumentBytes);
    }
  }

  /** The server at {@code url} with the default limits. */
  public static TikaSettings of(URI url) {
    return new TikaSettings(url, DEFAULT_TIMEOUT, DEFAULT_MAX_DOCUMENT_BYTES, DEFAULT_RESTART_WAIT);
  }

  public TikaSettings withTimeout(Duration timeout) {
    return new TikaSettings(url, timeout, maxDocumentBytes, restartWait);
  }

  public TikaSettings withMaxDocumentBytes(long bytes) {
    return new TikaSettings(url, timeout, bytes, restartWait);
  }

  public TikaSettings withRestartWait(Duration wait) {
    return new TikaSettings(url, timeout, maxDocumentBytes, wait);
  }
}
