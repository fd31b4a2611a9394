package io.docpipe.kubernetes;

import io.docpipe.core.port.out.IngestionListener;

/**
 * Posts a shard's progress as Kubernetes Events on its Job. Posting happens in the background and
 * never throws: an API server that is down costs events, never documents.
 */
public interface JobEvents extends IngestionListener, AutoCloseable {

  /**
   * How the shard's run ended: {@code reason} is a short CamelCase word ({@code ShardCompleted}),
   * {@code warning} marks runs that did not complete.
   */
  void runEnded(String reason, String message, boolean warning);

  /** Sends what is still queued, waiting a few seconds at most. */
  @Override
  void close();
}
