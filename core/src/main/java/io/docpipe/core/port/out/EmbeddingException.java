package io.docpipe.core.port.out;

/** The embedding model could not embed a batch; {@link #retriable()} says whether to try later. */
public class EmbeddingException extends RuntimeException {

  private final boolean retriable;

  public EmbeddingException(String message, boolean retriable) {
    super(message);
    this.retriable = retriable;
  }

  public EmbeddingException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean retriable() {
    return retriable;
  }
}
