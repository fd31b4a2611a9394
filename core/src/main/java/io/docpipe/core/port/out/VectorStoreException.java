package io.docpipe.core.port.out;

/** The vector store failed or refused an operation (unreachable, wrong dimension, corrupt). */
public class VectorStoreException extends RuntimeException {

  private final boolean retriable;

  public VectorStoreException(String message, boolean retriable) {
    super(message);
    this.retriable = retriable;
  }

  public VectorStoreException(String message, boolean retriable, Throwable cause) {
    super(message, cause);
    this.retriable = retriable;
  }

  public boolean retriable() {
    return retriable;
  }
}
