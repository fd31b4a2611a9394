package io.docpipe.core.port.out;

import io.docpipe.core.model.DocumentOutcome;
import java.time.Duration;

/**
 * Outgoing port for metrics and progress: told what the ingestion pipeline did. Must be quick and
 * must not throw; the default methods ignore everything.
 */
public interface IngestionListener {

  IngestionListener NONE = new IngestionListener() {};

  /** A document got its outcome, {@code took} after it was started. */
  default void documentFinished(DocumentOutcome outcome, Duration took) {}

  /** The embedding model embedded {@code chunks} texts in one call. */
  default void chunksEmbedded(int chunks, Duration took) {}

  /** The vector store wrote {@code points} points in one call. */
  default void pointsWritten(int points, Duration took) {}
}
