package io.docpipe.tika;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends a document to Tika Server's {@code PUT /rmeta/text} and reads its text (the container's and
 * every embedded file's), bounded in time (the whole exchange, restarts waited for included) and in
 * chars (Tika is asked to stop one char past the limit). Not the streamed {@code /tika}: once Tika
 * has started streaming text it cannot report a failure any more (a zip bomb caught half-way comes
 * back as 200 and cut text), while {@code /rmeta} reports each document's exception.
 *
 * <p>What goes wrong is told apart by who is to blame. The server not there (connection refused,
 * 503, a parser process restarting) is not the document's fault: the extractor waits for it up to
 * {@link TikaSettings#restartWait()}, then the document fails {@code EXTRACTION_UNAVAILABLE}, which
 * is retriable. The server refusing the document (422 unparseable or encrypted, 415, 413) fails it
 * for good. A connection cut while the document is parsed is what Tika does when the document kills
 * its parser process (out of memory, past its time limit) — and also what a sidecar killed from
 * outside looks like; so the document is sent once more after the restart, and only a second cut
 * fails it ({@code EXTRACTION_FAILED}).
 */
final class TikaExtractor implements TextExtractor {

  private static final System.Logger LOG = System.getLogger(TikaExtractor.class.getName());

  /** Between readiness probes while the server restarts. */
  private static final Duration PROBE_INTERVAL = Duration.ofMillis(200);

  private final TikaSettings settings;
  private final URI tika;
  private final URI rmeta;
  private final HttpClient client;

  /**
   * Set once a wait for the server ran out: later documents then probe once instead of each waiting
   * the whole {@code restartWait} for a sidecar that is gone.
   */
  private final AtomicBoolean knownDown = new AtomicBoolean();

  TikaExtractor(TikaSettings settings) {
    this.settings = settings;
    String base = settings.url().toString();
    String root = base.endsWith("/") ? base : base + "/";
    this.tika = URI.create(root + "tika");
    this.rmeta = URI.create(root + "rmeta/text");
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(min(Duration.ofSeconds(5), settings.timeout()))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public boolean supports(String mediaType) {
    return TikaExtraction.handles(mediaType);
  }

  @Override
  public String extract(Document document) throws ExtractionException {
    return extract(document, Integer.MAX_VALUE - 16);
  }

  @Override
  public String extract(Document document, int maxChars) throws ExtractionException {
    if (document.content().size() > settings.maxDocumentBytes()) {
      throw new ExtractionException(
          FailureReason.TOO_LARGE,
          "document is "
              + document.content().size()
              + " bytes; the Tika Server takes at most "
              + settings.maxDocumentBytes());
    }
    long deadline = System.nanoTime() + settings.timeout().toNanos();
    int cuts = 0;
    String unreachable = null; // why the last attempt found no server, if it did
    while (true) {
      Attempt attempt = send(document, maxChars, deadline);
      switch (attempt) {
        case Attempt.Text text -> {
          knownDown.set(false);
          return text.text();
        }
        case Attempt.Refused refused -> throw refused.failure();
        case Attempt.TimedOut timedOut ->
            throw unreachable == null ? timeout(document) : unavailable(unreachable);
        case Attempt.Unreachable u -> {
          unreachable = u.why();
          if (!awaitServer(deadline, u.why())) {
            throw unavailable(u.why());
          }
        }
        case Attempt.Cut cut -> {
          unreachable = null;
          cuts++;
          if (cuts >= 2) {
            throw new ExtractionException(
                FailureReason.EXTRACTION_FAILED,
                "the Tika Server's parser process died twice on this document (out of memory or"
                    + " past its time limit?): "
                    + cut.why());
          }
          LOG.log(
              System.Logger.Level.WARNING,
              "the Tika Server dropped the connection while parsing ({0}); sending the document"
                  + " once more when it is back",
              cut.why());
          if (!awaitServer(deadline, cut.why())) {
            throw unavailable(cut.why());
          }
        }
      }
      if (System.nanoTime() - deadline >= 0) {
        throw unreachable == null ? timeout(document) : unavailable(unreachable);
      }
    }
  }

  /** The outcome of one request. */
  private sealed interface Attempt {
    record Text(String text) implements Attempt {}

    /** The server answered and refused this document. */
    record Refused(ExtractionException failure) implements Attempt {}

    record TimedOut() implements Attempt {}

    /** No server answered (refused connection, 503, 502/504): not the document's fault. */
    record Unreachable(String why) implements Attempt {}

    /** The connection broke after the document was handed over. */
    record Cut(String why) implements Attempt {}
  }

  private Attempt send(Document document, int maxChars, long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      return new Attempt.TimedOut();
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(rmeta)
            .timeout(Duration.ofNanos(remaining))
            .header("Accept", "application/json")
            // Tika stops writing text one char past the limit and says so: neither process holds
            // more than the limit of a document that extracts to billions of chars.
            .header(
                "writeLimit",
                Integer.toString(maxChars == Integer.MAX_VALUE ? maxChars : maxChars + 1))
            .PUT(body(document));
    String type = MediaTypes.essence(document.mediaType());
    if (!type.isEmpty() && !MediaTypes.OCTET_STREAM.equals(type)) {
      // A hint: Tika's detector still looks at the bytes.
      request.header("Content-Type", type);
    }
    CompletableFuture<HttpResponse<InputStream>> exchange =
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
    HttpResponse<InputStream> response;
    try {
      response = exchange.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      exchange.cancel(true); // closes the connection; Tika's watchdog deals with its side
      return new Attempt.TimedOut();
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      return new Attempt.Unreachable("interrupted while waiting for the Tika Server");
    } catch (CancellationException e) {
      return new Attempt.Unreachable("the request to the Tika Server was cancelled");
    } catch (ExecutionException e) {
      return failed(e.getCause() == null ? e : e.getCause());
    }
    return answered(response, maxChars, deadline);
  }

  /**
   * The document's bytes, read from its content without a copy: the HTTP client may keep a request
   * (and so its publisher) reachable for a while after the exchange, and a copy of a 60 MiB
   * document would stay with it.
   */
  private static HttpRequest.BodyPublisher body(Document document) {
    java.nio.ByteBuffer bytes = document.content().asReadOnlyBuffer();
    return HttpRequest.BodyPublishers.fromPublisher(
        HttpRequest.BodyPublishers.ofInputStream(() -> new BufferStream(bytes.duplicate())),
        bytes.remaining());
  }

  /** An input stream over a buffer. */
  private static final class BufferStream extends InputStream {
    private final java.nio.ByteBuffer buffer;

    BufferStream(java.nio.ByteBuffer buffer) {
      this.buffer = buffer;
    }

    @Override
    public int read() {
      return buffer.hasRemaining() ? buffer.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (!buffer.hasRemaining()) {
        return -1;
      }
      int n = Math.min(len, buffer.remaining());
      buffer.get(b, off, n);
      return n;
    }
  }

  private static Attempt failed(Throwable cause) {
    String why = cause.toString();
    if (cause instanceof java.net.http.HttpTimeoutException
        && !(cause instanceof HttpConnectTimeoutException)) {
      return new Attempt.TimedOut();
    }
    for (Throwable t = cause; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof HttpConnectTimeoutException) {
        return new Attempt.Unreachable("cannot connect to the Tika Server: " + why);
      }
    }
    if (cause instanceof IOException) {
      return new Attempt.Cut(why);
    }
    return new Attempt.Refused(
        new ExtractionException(
            FailureReason.EXTRACTION_FAILED, "the request to the Tika Server failed: " + why));
  }

  /**
   * Reads the answer, closing its stream at the deadline: a server that trickles its answer cannot
   * stretch a document's time.
   */
  private static Attempt answered(HttpResponse<InputStream> response, int maxChars, long deadline) {
    int status = response.statusCode();
    AtomicBoolean late = new AtomicBoolean();
    long remaining = Math.max(1, deadline - System.nanoTime());
    InputStream stream = response.body();
    try (InputStream body = stream) {
      CompletableFuture<Void> closer =
          CompletableFuture.runAsync(
              () -> {
                late.set(true);
                closeQuietly(stream); // interrupts the read below
              },
              CompletableFuture.delayedExecutor(remaining, TimeUnit.NANOSECONDS));
      try {
        if (status != 200) {
          return refusedOrUnreachable(status, new String(body.readNBytes(4096), UTF_8));
        }
        return switch (RmetaText.read(body, maxChars)) {
          case RmetaText.Result.Text text -> new Attempt.Text(text.text());
          case RmetaText.Result.TooLong tooLong ->
              new Attempt.Refused(
                  new ExtractionException(
                      FailureReason.TOO_LARGE,
                      "text passes " + tooLong.maxChars() + " chars; Tika stopped there"));
          case RmetaText.Result.Unparseable unparseable ->
              new Attempt.Refused(
                  new ExtractionException(
                      FailureReason.EXTRACTION_FAILED,
                      "the Tika Server cannot parse this document: " + unparseable.exception()));
        };
      } finally {
        closer.cancel(false);
      }
    } catch (IOException e) {
      return late.get() ? new Attempt.TimedOut() : new Attempt.Cut(e.toString());
    }
  }

  private static void closeQuietly(InputStream stream) {
    try (stream) {
      // closed by try-with-resources
    } catch (IOException e) {
      // closing only to end a read; nothing to report
    }
  }

  private static Attempt refusedOrUnreachable(int status, String body) {
    String line = body.strip().lines().findFirst().orElse("");
    String detail =
        "the Tika Server answered "
            + status
            + (line.isEmpty() ? "" : ": " + (line.length() > 200 ? line.substring(0, 200) : line));
    return switch (status) {
      case 503, 502, 504 -> new Attempt.Unreachable(detail);
      case 413 -> new Attempt.Refused(new ExtractionException(FailureReason.TOO_LARGE, detail));
      case 415 ->
          new Attempt.Refused(
              new ExtractionException(FailureReason.UNSUPPORTED_MEDIA_TYPE, detail));
      default ->
          // 422: unparseable or encrypted; 500: a parser bug on this document. Another try gets
          // the same answer.
          new Attempt.Refused(new ExtractionException(FailureReason.EXTRACTION_FAILED, detail));
    };
  }

  /**
   * Waits until the server answers a probe, at most until {@code restartWait} or the deadline; once
   * a wait has run out, later documents probe only once until the server is back.
   */
  private boolean awaitServer(long deadline, String why) {
    long until =
        Math.min(deadline, System.nanoTime() + settings.restartWait().toNanos())
            - PROBE_INTERVAL.toNanos();
    if (knownDown.get()) {
      until = System.nanoTime(); // one probe
    }
    long probes = 0;
    while (true) {
      if (probe()) {
        if (knownDown.getAndSet(false)) {
          LOG.log(System.Logger.Level.INFO, "the Tika Server answers again");
        }
        return true;
      }
      probes++;
      if (System.nanoTime() - until >= 0 || probes > 10_000) {
        if (!knownDown.getAndSet(true)) {
          LOG.log(System.Logger.Level.WARNING, "the Tika Server does not answer ({0})", why);
        }
        return false;
      }
      try {
        Thread.sleep(PROBE_INTERVAL); // polling a process we do not own: no event to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  /** Whether {@code GET /tika} (Tika's greeting) answers 200 within a second. */
  boolean probe() {
    return SidecarHealthProbe.answers(client, tika, Duration.ofSeconds(1));
  }

  private ExtractionException timeout(Document document) {
    return new ExtractionException(
        FailureReason.EXTRACTION_TIMEOUT,
        "the Tika Server took longer than "
            + settings.timeout().toMillis()
            + " ms for this document ("
            + document.content().size()
            + " bytes)");
  }

  private ExtractionException unavailable(String why) {
    return new ExtractionException(
        FailureReason.EXTRACTION_UNAVAILABLE,
        "the Tika Server at " + settings.url() + " is not available (" + why + "); retry later");
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
