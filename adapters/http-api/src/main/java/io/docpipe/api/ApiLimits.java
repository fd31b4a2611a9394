package io.docpipe.api;

import io.docpipe.core.port.in.SearchCommand;

/**
 * What one request may ask for. A body over {@code maxBodyBytes} is refused with 413 before it is
 * parsed; more than {@code maxDocumentsPerRequest} documents with 413 too; {@code k} above {@code
 * maxK} with 400.
 */
public record ApiLimits(int maxBodyBytes, int maxDocumentsPerRequest, int maxK) {

  public static final int DEFAULT_MAX_BODY_BYTES = 6 * 1024 * 1024;
  public static final int DEFAULT_MAX_DOCUMENTS = 100;
  public static final int DEFAULT_MAX_K = 100;

  public ApiLimits {
    if (maxBodyBytes < 1024) {
      throw new IllegalArgumentException("maxBodyBytes must be at least 1024: " + maxBodyBytes);
    }
    if (maxDocumentsPerRequest < 1) {
      throw new IllegalArgumentException(
          "maxDocumentsPerRequest must be at least 1: " + maxDocumentsPerRequest);
    }
    if (maxK < 1 || maxK > SearchCommand.MAX_K) {
      throw new IllegalArgumentException(
          "maxK must be in [1, " + SearchCommand.MAX_K + "]: " + maxK);
    }
  }

  /**
   * 6 MiB bodies (the Lambda synchronous payload limit, so both runtimes accept the same requests),
   * 100 documents, k up to 100.
   */
  public static ApiLimits defaults() {
    return new ApiLimits(DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_DOCUMENTS, DEFAULT_MAX_K);
  }
}
