package io.docpipe.wiring.observe;

import io.docpipe.core.model.DocumentOutcome;
import java.util.Locale;

/**
 * The metric names and label values every runtime uses (Prometheus on Fargate and GKE, CloudWatch
 * EMF on Lambda), so one dashboard query or alert means the same thing everywhere. Counters carry
 * Prometheus' {@code _total} suffix in their name here and in CloudWatch alike.
 */
public final class MetricNames {

  /** Counter: documents that got an outcome, by {@link #OUTCOME} and {@link #REASON}. */
  public static final String DOCUMENTS = "docpipe_documents_total";

  /** Counter: chunks embedded during ingestion. */
  public static final String CHUNKS_EMBEDDED = "docpipe_chunks_embedded_total";

  /** Histogram (seconds): one call to the embedding model. */
  public static final String EMBEDDING_DURATION = "docpipe_embedding_duration_seconds";

  /** Histogram (seconds): one write to the vector store. */
  public static final String WRITE_DURATION = "docpipe_vector_store_write_duration_seconds";

  /**
   * Counter: batches that ended with at least one failed document or unit (an SQS batch or S3 event
   * on Lambda, a job on Fargate, a shard run on GKE).
   */
  public static final String BATCH_FAILURES = "docpipe_batch_failures_total";

  /** Gauge: work accepted and waiting (Fargate's job queue; SQS reports its own on Lambda). */
  public static final String QUEUE_DEPTH = "docpipe_job_queue_depth";

  /** Gauge: Unix time (seconds) of the last document that got an outcome; stalls show here. */
  public static final String LAST_PROGRESS = "docpipe_last_progress_timestamp_seconds";

  /** Label: {@code indexed}, {@code unchanged}, {@code deleted} or {@code failed}. */
  public static final String OUTCOME = "outcome";

  /** Label: the failure reason in lower case ({@code too_large}), {@code none} when not failed. */
  public static final String REASON = "reason";

  /** The reason label of a document that did not fail. */
  public static final String NO_REASON = "none";

  private MetricNames() {}

  /** The {@link #OUTCOME} label value of {@code outcome}. */
  public static String outcome(DocumentOutcome outcome) {
    return switch (outcome) {
      case DocumentOutcome.Indexed i -> "indexed";
      case DocumentOutcome.Unchanged u -> "unchanged";
      case DocumentOutcome.Deleted d -> "deleted";
      case DocumentOutcome.Failed f -> "failed";
    };
  }

  /** The {@link #REASON} label value of {@code outcome}. */
  public static String reason(DocumentOutcome outcome) {
    return outcome instanceof DocumentOutcome.Failed f
        ? f.reason().name().toLowerCase(Locale.ROOT)
        : NO_REASON;
  }
}
