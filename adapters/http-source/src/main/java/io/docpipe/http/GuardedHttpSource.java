package io.docpipe.http;

import io.docpipe.core.model.Content;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.model.Metadata;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/** Fetches a URL hop by hop, each hop through the {@link UrlGuard}. */
final class GuardedHttpSource implements DocumentSource {

  private static final System.Logger LOG = System.getLogger(GuardedHttpSource.class.getName());

  static final String URL_KEY = "url";
  static final String ETAG_KEY = "etag";

  private final HttpSourceSettings settings;
  private final UrlGuard guard;
  private volatile @Nullable SSLSocketFactory tls;

  GuardedHttpSource(HttpSourceSettings settings) {
    this.settings = settings;
    this.guard = new UrlGuard(settings);
    SSLContext context = settings.sslContext();
    this.tls = context == null ? null : context.getSocketFactory();
  }

  @Override
  public Document fetch(DocumentRef ref, long maxBytes) throws SourceException {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must be >= 0: " + maxBytes);
    }
    if (ref.sizeHint() != null && ref.sizeHint() > maxBytes) {
      throw new SourceException(
          FailureReason.TOO_LARGE,
          Urls.redacted(ref.location())
              + " has "
              + ref.sizeHint()
              + " bytes; the limit is "
              + maxBytes);
    }
    HttpExchange.Deadline deadline = HttpExchange.Deadline.after(settings.totalTimeout());
    URI current = ascii(ref.location());
    for (int redirects = 0; ; redirects++) {
      UrlGuard.Target target = guard.check(current);
      try (HttpExchange exchange =
          HttpExchange.open(
              target,
              target.tls() ? tlsFactory() : null,
              settings.connectTimeout(),
              settings.readTimeout(),
              deadline)) {
        HttpExchange.Response response = exchange.get(target);
        int status = response.status();
        if (isRedirect(status)) {
          URI next = redirectTarget(current, response);
          if (redirects == settings.maxRedirects()) {
            throw new SourceException(
                FailureReason.INVALID_INPUT,
                "refused to fetch "
                    + Urls.redacted(ref.location())
                    + ": more than "
                    + settings.maxRedirects()
                    + " redirects");
          }
          LOG.log(
              Level.DEBUG,
              "{0} redirects ({1}) to {2}",
              Urls.redacted(current),
              status,
              Urls.redacted(next));
          current = next;
          continue;
        }
        failUnlessSuccess(current, status);
        checkEncoding(current, response);
        long declared = HttpExchange.contentLength(response);
        if (declared > maxBytes) {
          throw tooLarge(current, declared + " bytes", maxBytes);
        }
        byte[] bytes = exchange.body(response, maxBytes);
        if (bytes == null) {
          throw tooLarge(current, "more than " + maxBytes + " bytes", maxBytes);
        }
        return new Document(
            ref.id(),
            ref.location(),
            mediaType(current, response.header("content-type")),
            metadata(current, response, ref.metadata()),
            Content.adopt(bytes));
      } catch (SocketTimeoutException e) {
        String why =
            deadline.passed()
                ? "the total time allowed for one document ("
                    + settings.totalTimeout()
                    + ") is used up"
                : e.getMessage();
        throw new SourceException(
            FailureReason.SOURCE_UNAVAILABLE,
            "timed out fetching " + Urls.redacted(current) + ": " + why,
            e);
      } catch (SSLException e) {
        if (deadline.passed()) {
          throw usedUp(current, e); // the deadline's watchdog closed the socket mid-handshake
        }
        throw new SourceException(
            FailureReason.SOURCE_UNAVAILABLE,
            "TLS failed for " + Urls.redacted(current) + ": " + e.getMessage(),
            e);
      } catch (IOException e) {
        if (deadline.passed()) {
          throw usedUp(current, e); // the deadline's watchdog closed the socket
        }
        throw new SourceException(
            FailureReason.SOURCE_UNAVAILABLE,
            "cannot fetch " + Urls.redacted(current) + ": " + e,
            e);
      }
    }
  }

  private SourceException usedUp(URI current, IOException e) {
    return new SourceException(
        FailureReason.SOURCE_UNAVAILABLE,
        "timed out fetching "
            + Urls.redacted(current)
            + ": the total time allowed for one document ("
            + settings.totalTimeout()
            + ") is used up",
        e);
  }

  private SSLSocketFactory tlsFactory() throws SourceException {
    SSLSocketFactory factory = tls;
    if (factory == null) {
      try {
        factory = SSLContext.getDefault().getSocketFactory();
      } catch (NoSuchAlgorithmException e) {
        throw new SourceException(
            FailureReason.SOURCE_UNAVAILABLE, "no TLS implementation available", e);
      }
      tls = factory;
    }
    return factory;
  }

  private static URI ascii(URI uri) throws SourceException {
    try {
      return new URI(uri.toASCIIString());
    } catch (URISyntaxException e) {
      throw UrlGuard.refused(uri, "malformed URL");
    }
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static URI redirectTarget(URI current, HttpExchange.Response response)
      throws SourceException {
    String location = response.header("location");
    if (location == null || location.isBlank()) {
      throw new SourceException(
          FailureReason.SOURCE_UNAVAILABLE,
          Urls.redacted(current) + " answered " + response.status() + " without a Location");
    }
    try {
      URI next = current.resolve(new URI(location.strip()));
      return ascii(next);
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw UrlGuard.refused(current, "malformed redirect location");
    }
  }

  private static void failUnlessSuccess(URI uri, int status) throws SourceException {
    if (status >= 200 && status < 300) {
      return;
    }
    String where = Urls.redacted(uri) + " answered HTTP " + status;
    FailureReason reason;
    if (status == 404 || status == 410) {
      reason = FailureReason.NOT_FOUND;
    } else if (status == 401 || status == 403) {
      reason = FailureReason.SOURCE_UNAVAILABLE;
      where += " (access denied)";
    } else if (status == 408 || status == 425 || status == 429 || status >= 500) {
      reason = FailureReason.SOURCE_UNAVAILABLE;
    } else {
      reason = FailureReason.INVALID_INPUT;
    }
    throw new SourceException(reason, where);
  }

  private static void checkEncoding(URI uri, HttpExchange.Response response)
      throws SourceException {
    String encoding = response.header("content-encoding");
    if (encoding != null && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
      throw new SourceException(
          FailureReason.UNSUPPORTED_MEDIA_TYPE,
          Urls.redacted(uri) + " sent a " + encoding + "-encoded body although none was accepted");
    }
  }

  private static SourceException tooLarge(URI uri, String size, long maxBytes) {
    return new SourceException(
        FailureReason.TOO_LARGE,
        Urls.redacted(uri) + " has " + size + "; the limit is " + maxBytes + " bytes");
  }

  /** From Content-Type, or from the path's extension when the server says nothing useful. */
  static String mediaType(URI uri, @Nullable String contentType) {
    if (contentType != null && !contentType.isBlank()) {
      String essence = MediaTypes.essence(contentType);
      if (!essence.isEmpty() && !essence.equals(MediaTypes.OCTET_STREAM)) {
        return essence;
      }
    }
    String path = uri.getPath() == null ? "" : uri.getPath();
    String name = path.substring(path.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    String ext = dot <= 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    return switch (ext) {
      case "txt", "text", "log" -> MediaTypes.TEXT_PLAIN;
      case "md", "markdown" -> MediaTypes.MARKDOWN;
      case "html", "htm" -> MediaTypes.HTML;
      case "pdf" -> "application/pdf";
      default -> MediaTypes.OCTET_STREAM;
    };
  }

  private static Map<String, String> metadata(
      URI finalUri, HttpExchange.Response response, Map<String, String> refMetadata) {
    Map<String, String> metadata = new HashMap<>();
    String url = Urls.redacted(finalUri);
    if (url.length() <= Metadata.MAX_VALUE_LENGTH) {
      metadata.put(URL_KEY, url);
    }
    String etag = response.header("etag");
    if (etag != null && !etag.isEmpty() && etag.length() <= Metadata.MAX_VALUE_LENGTH) {
      metadata.put(ETAG_KEY, etag);
    }
    metadata.putAll(refMetadata);
    return metadata;
  }
}
