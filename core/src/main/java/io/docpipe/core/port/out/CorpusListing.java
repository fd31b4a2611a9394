package io.docpipe.core.port.out;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** Outgoing port for enumerating a corpus, in a stable order that checkpoints can point into. */
public interface CorpusListing {

  /**
   * Every document of the corpus in ascending {@link DocumentId} order (code point order), each id
   * once, starting strictly after {@code startAfter} when it is given. The caller closes the
   * stream. A listing that cannot be read at all throws {@link CorpusUnavailableException}.
   */
  Stream<DocumentRef> list(@Nullable DocumentId startAfter);

  /** The corpus cannot be listed (missing root, no permission, unreachable service). */
  final class CorpusUnavailableException extends RuntimeException {
    private final boolean retriable;

    public CorpusUnavailableException(String message, boolean retriable, Throwable cause) {
      super(message, cause);
      this.retriable = retriable;
    }

    public CorpusUnavailableException(String message, boolean retriable) {
      super(message);
      this.retriable = retriable;
    }

    public boolean retriable() {
      return retriable;
    }
  }
}
