package io.docpipe.core.port.out;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import java.time.Duration;

/**
 * Outgoing port for metrics, progress and traces: told what the ingestion pipeline did. Must be
 * quick and must not throw; the default methods ignore everything. Called on the thread that runs
 * the ingestion, so a runtime may read its own per-request context (a trace) there.
 */
public interface IngestionListener {

  IngestionListener NONE = new IngestionListener() {};

  /** A stage of one document's way through ingestion, in the order a document passes them. */
  enum Stage {
    /** Read from the source; size: bytes. */
    FETCH,
    /** Text extraction; size: characters of text. */
    EXTRACT,
    /** Splitting the text into chunks; size: chunks. */
    CHUNK,
    /**
     * All of the document's chunks embedded (possibly over several shared calls); size: vectors.
     */
    EMBED,
    /** The document's points written (possibly in a shared call); size: points. */
    WRITE
  }

  /**
   * {@code document} finished {@code stage}, which took {@code took}, producing {@code size} (see
   * {@link Stage}). Called right when the stage ends, so it started {@code took} before the call. A
   * stage that failed is reported too (its size then is what it got to); a stage never reached is
   * not.
   */
  default void stageFinished(DocumentId document, Stage stage, long size, Duration took) {}

  /** A document got its outcome, {@code took} after it was started. */
  default void documentFinished(DocumentOutcome outcome, Duration took) {}

  /** The embedding model embedded {@code chunks} texts in one call. */
  default void chunksEmbedded(int chunks, Duration took) {}

  /** The vector store wrote {@code points} points in one call. */
  default void pointsWritten(int points, Duration took) {}
}
