package io.docpipe.core.port.out;

/** The vector store failed or refused an operation (unreachable, wrong dimension, corrupt). */
public class VectorStoreException extends RetriableException {

  public VectorStoreException(String message, boolean retriable) {
    super(message, retriable, null);
  }

  public VectorStoreException(String message, boolean retriable, Throwable cause) {
    super(message, retriable, cause);
  }
}
