package io.docpipe.core.model;

/**
 * Why one document could not be processed. {@link #retriable()} tells runtimes whether trying the
 * same document again later can succeed (redeliver an SQS message, exit with a retriable code).
 */
public enum FailureReason {
  EMPTY(false),
  BINARY(false),
  INVALID_ENCODING(false),
  TOO_LARGE(false),
  UNSUPPORTED_MEDIA_TYPE(false),
  EXTRACTION_FAILED(false),
  /**
   * Extracting this document's text ran past its deadline (e.g. the extraction server's); it would
   * again.
   */
  EXTRACTION_TIMEOUT(false),
  /**
   * The text extractor could not be reached this time: an extraction server (the Tika sidecar) that
   * is down, restarting or overloaded. Nothing is wrong with the document.
   */
  EXTRACTION_UNAVAILABLE(true),
  INVALID_INPUT(false),
  NOT_FOUND(false),
  SOURCE_UNAVAILABLE(true),
  /** The embedding model could not embed the text this time (unreachable, overloaded). */
  EMBEDDING_FAILED(true),
  /** The embedding model refused this text and will refuse it again (e.g. a 4xx from an API). */
  EMBEDDING_REJECTED(false),
  STORE_FAILED(true),
  /** The run stopped (deadline, shutdown) before this document was started. */
  NOT_STARTED(true);

  private final boolean retriable;

  FailureReason(boolean retriable) {
    this.retriable = retriable;
  }

  public boolean retriable() {
    return retriable;
  }
}
