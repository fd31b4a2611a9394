package io.docpipe.core.model;

/** Running totals of one shard's outcomes, carried in its checkpoint across restarts. */
public record ShardProgress(long indexed, long unchanged, long failed) {

  public static final ShardProgress ZERO = new ShardProgress(0, 0, 0);

  public ShardProgress {
    if (indexed < 0 || unchanged < 0 || failed < 0) {
      throw new IllegalArgumentException(
          "negative progress: " + indexed + "/" + unchanged + "/" + failed);
    }
  }

  public long processed() {
    return indexed + unchanged + failed;
  }

  public ShardProgress plus(DocumentOutcome outcome) {
    return switch (outcome) {
      case DocumentOutcome.Indexed i -> new ShardProgress(indexed + 1, unchanged, failed);
      case DocumentOutcome.Unchanged u -> new ShardProgress(indexed, unchanged + 1, failed);
      case DocumentOutcome.Failed f -> new ShardProgress(indexed, unchanged, failed + 1);
      case DocumentOutcome.Deleted d -> this;
    };
  }
}
