package io.docpipe.core.port.in;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentOutcome;
import java.util.List;
import java.util.Objects;

/**
 * How a shard run ended, its last checkpoint (totals across restarts) and the documents that failed
 * in this run.
 */
public record ShardReport(
    Status status, Checkpoint checkpoint, List<DocumentOutcome.Failed> failures, String detail) {

  /** How the run ended; runtimes map it to exit codes. */
  public enum Status {
    /** Every document of the shard has an outcome. */
    COMPLETED,
    /** Stopped on request (SIGTERM, deadline) after a checkpoint; run again to resume. */
    STOPPED,
    /** Too many documents failed; the failures are listed. */
    TOO_MANY_FAILURES,
    /** The corpus, the store or the model was unreachable; running again later may succeed. */
    UNAVAILABLE,
    /** The run cannot succeed as configured (corpus missing, bad settings); do not retry. */
    FAILED
  }

  public ShardReport {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(checkpoint, "checkpoint");
    failures = List.copyOf(failures);
    Objects.requireNonNull(detail, "detail");
  }
}
