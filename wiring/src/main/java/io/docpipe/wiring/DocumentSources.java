package io.docpipe.wiring;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import io.docpipe.files.LocalFiles;
import io.docpipe.http.HttpSources;
import io.docpipe.s3.S3Sources;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The document sources of a component, chosen by a location's scheme: {@code s3://} objects, {@code
 * https://} (and, when allowed, {@code http://}) URLs behind the SSRF guard, and local files. The
 * S3 client is built on first use, so runs that never touch S3 never load the SDK; with a local S3
 * mirror ({@code DOCPIPE_S3_MIRROR_DIR}) {@code s3://} objects are read from it instead.
 */
public final class DocumentSources implements AutoCloseable {

  private final SourceConfig config;
  private final DocumentSource http;
  private final @Nullable DocumentSource s3Mirror;
  private @Nullable S3Client s3;
  private @Nullable DocumentSource s3Objects;
  private boolean closed;

  DocumentSources(SourceConfig config) {
    this(config, Optional.empty());
  }

  DocumentSources(SourceConfig config, Optional<Path> s3Mirror) {
    this.config = Objects.requireNonNull(config, "config");
    this.http = HttpSources.source(config.http());
    this.s3Mirror = s3Mirror.map(LocalFiles::s3Mirror).orElse(null);
  }

  /**
   * What {@code location} names as a corpus: {@code s3://bucket/prefix} lists the objects under the
   * prefix; an {@code https://} URL is a corpus of that one document (its id is the URL); a local
   * file or directory lists as {@link Corpus#localPath(Path)} does. The corpus's source fetches any
   * location of a scheme this component serves, local files only inside the corpus.
   *
   * @throws IllegalArgumentException when the location is neither a URL docpipe reads nor a path
   */
  public Corpus corpus(String location) {
    String scheme = schemeOf(location);
    if (scheme == null) {
      Corpus local = Corpus.localPath(Path.of(location));
      return new Corpus(local.listing(), routing(local.source()));
    }
    URI uri = URI.create(location);
    return switch (scheme) {
      case "s3" -> {
        var corpus = S3Sources.corpus(s3(), uri);
        yield new Corpus(corpus, routing(null));
      }
      case "http", "https" -> {
        DocumentRef ref =
            new DocumentRef(DocumentId.of(location), uri, Map.of("url", location), null);
        yield new Corpus(
            (@Nullable DocumentId startAfter) ->
                startAfter == null || ref.id().compareTo(startAfter) > 0
                    ? Stream.of(ref)
                    : Stream.empty(),
            routing(null));
      }
      case "file" -> corpus(Path.of(uri).toString());
      default ->
          throw new IllegalArgumentException(
              "docpipe reads s3://, https://, http:// (when allowed) and local paths, not "
                  + scheme
                  + ": "
                  + location);
    };
  }

  /**
   * A source that fetches {@code s3://} and {@code http(s)://} locations, and {@code file:} ones
   * through {@code files} when given (else refuses them: arbitrary local paths are not readable
   * from a request).
   */
  public DocumentSource routing(@Nullable DocumentSource files) {
    return (ref, maxBytes) -> {
      String scheme = ref.location().getScheme();
      String s = scheme == null ? "" : scheme.toLowerCase(Locale.ROOT);
      return switch (s) {
        case "s3" -> s3Objects().fetch(ref, maxBytes);
        case "http", "https" -> http.fetch(ref, maxBytes);
        case "file" -> {
          if (files == null) {
            throw new SourceException(
                FailureReason.INVALID_INPUT,
                "file: locations are read only from a local corpus, not " + ref.id());
          }
          yield files.fetch(ref, maxBytes);
        }
        default ->
            throw new SourceException(
                FailureReason.INVALID_INPUT,
                "no source for scheme '"
                    + s
                    + "' ("
                    + ref.id()
                    + "); docpipe reads s3, https,"
                    + " http when allowed, and local files");
      };
    };
  }

  /** The scheme of a URL-like location; {@code null} for a path (Windows drives included). */
  private static @Nullable String schemeOf(String location) {
    int colon = location.indexOf(':');
    if (colon < 2 || !location.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")) {
      return null;
    }
    return location.substring(0, colon).toLowerCase(Locale.ROOT);
  }

  /** The source of {@code s3://} objects: the mirror when set, else S3 itself (built once). */
  private synchronized DocumentSource s3Objects() {
    if (s3Mirror != null) {
      return s3Mirror;
    }
    if (s3Objects == null) {
      s3Objects = S3Sources.source(s3());
    }
    return s3Objects;
  }

  private synchronized S3Client s3() {
    if (closed) {
      throw new IllegalStateException("document sources are closed");
    }
    if (s3 == null) {
      s3 = S3Sources.client(config.s3());
    }
    return s3;
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (s3 != null) {
      s3.close();
      s3 = null;
      s3Objects = null;
    }
  }

  @Override
  public String toString() {
    return "DocumentSources[" + config + "]";
  }
}
