package io.docpipe.gke;

import io.docpipe.core.port.in.ShardReport;

/**
 * How a worker ends, as the process exit code a Job's {@code podFailurePolicy} matches on (see the
 * module README): done, retry the pod, give up on this shard, give up on the whole Job.
 */
enum ExitCode {
  /** Every document of the shard has an outcome. */
  DONE(0),
  /**
   * Try again: the store, the model API or the corpus was unreachable, or the worker was stopped
   * (SIGTERM) after saving its checkpoint. Counts against {@code backoffLimitPerIndex}.
   */
  RETRY(75),
  /** This shard cannot succeed: too many of its documents failed. The policy fails the index. */
  SHARD_FAILED(76),
  /**
   * No shard can succeed: bad configuration, or the corpus does not exist. The policy fails the
   * Job.
   */
  CONFIGURATION(78);

  final int code;

  ExitCode(int code) {
    this.code = code;
  }

  static ExitCode of(ShardReport.Status status) {
    return switch (status) {
      case COMPLETED -> DONE;
      case STOPPED, UNAVAILABLE -> RETRY;
      case TOO_MANY_FAILURES -> SHARD_FAILED;
      case FAILED -> CONFIGURATION;
    };
  }
}
