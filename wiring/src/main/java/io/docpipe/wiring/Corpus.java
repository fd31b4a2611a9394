package io.docpipe.wiring;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.CorpusListing;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import io.docpipe.files.LocalFiles;
import java.nio.file.Path;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** What one run reads: a listing of documents and the source that fetches them. */
public record Corpus(CorpusListing listing, DocumentSource source) {

  public Corpus {
    Objects.requireNonNull(listing, "listing");
    Objects.requireNonNull(source, "source");
  }

  /** A local directory tree; document ids are paths relative to {@code root}. */
  public static Corpus localDirectory(Path root) {
    var corpus = LocalFiles.corpus(root);
    return new Corpus(corpus, corpus);
  }

  /**
   * The files a manifest names, one path per line relative to the manifest's directory (ids are
   * those paths).
   */
  public static Corpus manifest(Path manifest) {
    var corpus = LocalFiles.manifestCorpus(manifest);
    return new Corpus(corpus, corpus);
  }

  /**
   * A local file or directory tree: a directory lists every file under it (ids relative to it); a
   * file lists itself alone (id: its file name).
   */
  public static Corpus localPath(Path path) {
    if (java.nio.file.Files.isDirectory(path)) {
      return localDirectory(path);
    }
    Path absolute = path.toAbsolutePath().normalize();
    Path parent = absolute.getParent();
    if (parent == null) {
      throw new IllegalArgumentException("not a file: " + path);
    }
    var corpus = LocalFiles.corpus(parent);
    var ref = LocalFiles.fileRef(absolute);
    return new Corpus(
        (@Nullable DocumentId startAfter) ->
            startAfter == null || ref.id().compareTo(startAfter) > 0
                ? Stream.of(ref)
                : Stream.empty(),
        corpus);
  }

  /**
   * No listing; fetches what events name (an S3 notification, an SQS command, a {@code uri} in an
   * API request) through {@code sources}: {@code s3://} objects (from the local S3 mirror instead
   * when {@code DOCPIPE_S3_MIRROR_DIR} is set) and {@code https://} URLs behind the SSRF guard.
   * Local {@code file:} locations are refused: a request must not read the service's own disk.
   */
  public static Corpus forEvents(DocumentSources sources) {
    return new Corpus((@Nullable DocumentId startAfter) -> Stream.empty(), sources.routing(null));
  }

  /** No corpus: only documents passed inline can be ingested; fetching fails clearly. */
  public static Corpus inlineOnly() {
    return new Corpus(
        (@Nullable DocumentId startAfter) -> Stream.empty(),
        (ref, maxBytes) -> {
          throw new SourceException(
              FailureReason.INVALID_INPUT,
              "this run accepts inline documents only; cannot fetch " + ref.location());
        });
  }
}
