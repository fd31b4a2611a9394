package io.docpipe.core.service;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.in.ProcessShard;
import io.docpipe.core.port.in.ShardCommand;
import io.docpipe.core.port.in.ShardReport;
import io.docpipe.core.port.in.ShardReport.Status;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.core.port.out.CorpusListing;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Walks the corpus listing after the shard's checkpoint, keeps the documents the shard owns, and
 * ingests them batch by batch, saving a checkpoint after each. The checkpoint only ever moves past
 * documents that have a final outcome: a retriable failure (store or model unreachable) stops the
 * run before it, so that a restart tries that document again.
 */
public final class ProcessShardService implements ProcessShard {

  private static final System.Logger LOG = System.getLogger(ProcessShardService.class.getName());

  private final CorpusListing listing;
  private final IngestDocuments ingest;
  private final CheckpointStore checkpoints;

  public ProcessShardService(
      CorpusListing listing, IngestDocuments ingest, CheckpointStore checkpoints) {
    this.listing = Objects.requireNonNull(listing, "listing");
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
  }

  @Override
  public ShardReport process(ShardCommand command) {
    ShardSpec shard = command.shard();
    Checkpoint checkpoint;
    try {
      checkpoint = checkpoints.load(shard).orElseGet(() -> Checkpoint.start(shard));
    } catch (RuntimeException e) {
      return new ShardReport(
          Status.UNAVAILABLE,
          Checkpoint.start(shard),
          List.of(),
          "loading the checkpoint failed: " + e);
    }
    if (checkpoint.complete()) {
      return new ShardReport(
          Status.COMPLETED, checkpoint, List.of(), "shard " + shard + " was already complete");
    }
    if (checkpoint.lastCompleted() != null) {
      LOG.log(
          System.Logger.Level.INFO,
          "shard {0} resumes after {1} ({2} documents done)",
          shard,
          checkpoint.lastCompleted(),
          checkpoint.progress().processed());
    }
    List<DocumentOutcome.Failed> failures = new ArrayList<>();
    try (Stream<DocumentRef> refs = listing.list(checkpoint.lastCompleted())) {
      Iterator<DocumentRef> it = refs.filter(ref -> shard.owns(ref.id())).iterator();
      while (true) {
        if (command.stop().stopRequested()) {
          return saved(Status.STOPPED, checkpoint, failures, "stopped on request");
        }
        List<IngestRequest> batch = new ArrayList<>(command.batchSize());
        while (batch.size() < command.batchSize() && it.hasNext()) {
          batch.add(new IngestRequest.Fetch(it.next()));
        }
        if (batch.isEmpty()) {
          break;
        }
        IngestReport report = ingest.ingest(new IngestCommand(batch, command.stop()));
        Advance advance = advance(checkpoint, report, failures);
        checkpoint = advance.checkpoint();
        if (advance.retriable() != null) {
          DocumentOutcome.Failed f = advance.retriable();
          return saved(
              f.reason() == FailureReason.NOT_STARTED ? Status.STOPPED : Status.UNAVAILABLE,
              checkpoint,
              failures,
              f.reason() == FailureReason.NOT_STARTED
                  ? "stopped on request"
                  : "document "
                      + f.documentId()
                      + " failed retriably ("
                      + f.reason()
                      + ": "
                      + f.detail()
                      + "); run again to resume from it");
        }
        ShardProgress progress = checkpoint.progress();
        if (progress.processed() >= command.batchSize()
            && progress.failed() > command.maxFailureRatio() * progress.processed()) {
          return saved(
              Status.TOO_MANY_FAILURES,
              checkpoint,
              failures,
              progress.failed()
                  + " of "
                  + progress.processed()
                  + " documents failed, more than the allowed ratio "
                  + command.maxFailureRatio());
        }
        checkpoints.save(checkpoint);
      }
    } catch (CorpusListing.CorpusUnavailableException e) {
      return saved(
          e.retriable() ? Status.UNAVAILABLE : Status.FAILED,
          checkpoint,
          failures,
          "corpus unavailable: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "shard " + shard + " stopped on an unexpected error", e);
      return new ShardReport(Status.UNAVAILABLE, checkpoint, failures, "unexpected error: " + e);
    }
    Checkpoint done =
        new Checkpoint(shard, checkpoint.lastCompleted(), checkpoint.progress(), true);
    return saved(
        Status.COMPLETED, done, failures, "shard " + shard + " complete: " + done.progress());
  }

  private record Advance(Checkpoint checkpoint, DocumentOutcome.@Nullable Failed retriable) {}

  /** Moves the checkpoint over the prefix of outcomes that are final. */
  private static Advance advance(
      Checkpoint checkpoint, IngestReport report, List<DocumentOutcome.Failed> failures) {
    DocumentId last = checkpoint.lastCompleted();
    ShardProgress progress = checkpoint.progress();
    for (DocumentOutcome outcome : report.outcomes()) {
      if (outcome instanceof DocumentOutcome.Failed f && f.reason().retriable()) {
        return new Advance(new Checkpoint(checkpoint.shard(), last, progress, false), f);
      }
      if (outcome instanceof DocumentOutcome.Failed f) {
        failures.add(f);
      }
      progress = progress.plus(outcome);
      last = outcome.documentId();
    }
    return new Advance(new Checkpoint(checkpoint.shard(), last, progress, false), null);
  }

  private ShardReport saved(
      Status status, Checkpoint checkpoint, List<DocumentOutcome.Failed> failures, String detail) {
    try {
      checkpoints.save(checkpoint);
    } catch (RuntimeException e) {
      return new ShardReport(
          Status.UNAVAILABLE,
          checkpoint,
          failures,
          detail + "; saving the checkpoint failed: " + e);
    }
    return new ShardReport(status, checkpoint, failures, detail);
  }
}
