package io.docpipe.core.port.out;

/** The embedding model could not embed a batch; {@link #retriable()} says whether to try later. */
public class EmbeddingException extends RetriableException {

  public EmbeddingException(String message, boolean retriable) {
    super(message, retriable, null);
  }

  public EmbeddingException(String message, boolean retriable, Throwable cause) {
    super(message, retriable, cause);
  }
}
