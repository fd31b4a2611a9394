package io.docpipe.files;

import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.port.out.CorpusListing;
import io.docpipe.core.port.out.DocumentSource;
import java.nio.file.Path;

/**
 * A directory tree as a corpus: lists its regular files and fetches them by their {@code file:}
 * URI.
 *
 * <p>Listing: document ids are paths relative to the root with {@code /} separators, in Unicode
 * NFC, in {@link io.docpipe.core.model.DocumentId} order. Hidden files and directories (a name
 * starting with {@code .}) are skipped, and so are entries that are unreadable, are not regular
 * files, or whose path cannot be a document id (control characters, longer than {@link
 * io.docpipe.core.model.DocumentId#MAX_LENGTH}). Symbolic links are followed only when their real
 * path is inside the root and not hidden there; a file reachable through a link is listed under the
 * link's path as well as its own, and a directory link back to one of its own ancestors (a loop) is
 * skipped. When two names differ only in Unicode normalisation, the first in code point order of
 * the raw name is listed and the other skipped with a warning.
 *
 * <p>Refs carry metadata {@code path} (the relative path) and {@code ext} (the lower-case file
 * extension, when there is one) and the file size as size hint. Fetching reads only {@code file:}
 * locations inside the root and sets the media type from the extension: {@code .txt .text .log} and
 * no extension are {@code text/plain}, {@code .md .markdown} {@code text/markdown}, {@code .html
 * .htm} {@code text/html}, anything else {@code application/octet-stream}.
 */
public interface LocalCorpus extends CorpusListing, DocumentSource {

  /** The corpus root as given, absolute and normalised. */
  Path root();

  /**
   * A reference to {@code file} (relative paths resolve against the working directory), with its id
   * relative to the root, e.g. for a file named on a command line; the size hint is absent when the
   * file cannot be read now.
   *
   * @throws IllegalArgumentException if the file is not inside the root or its relative path cannot
   *     be a document id
   */
  DocumentRef refFor(Path file);
}
