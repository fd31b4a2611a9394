package io.docpipe.lambda;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.StopSignal;
import io.docpipe.core.port.in.DeleteCommand;
import io.docpipe.core.port.in.DeleteDocuments;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Runs the work of a batch of units (SQS messages, S3 records) and tells which units failed.
 *
 * <p>Consecutive ingestions are sent together so their chunks share embedding calls; a deletion, or
 * a second ingestion of a document already in the group, starts a new group, so the order the
 * events give is the order they take effect. Between groups, and between documents inside the
 * core's ingestion, the stop signal (the invocation's deadline) is asked: what was not started is
 * reported as failed, retriably. Nothing thrown by a use case escapes: it fails the units of its
 * group only. In order ({@code inOrder}, for FIFO queues) units never share a group and the first
 * failed unit fails every unit after it, unstarted.
 */
final class BatchRunner {

  private static final System.Logger LOG = System.getLogger(BatchRunner.class.getName());

  /** How the core's detail of a permanent failure ends when it removed a stored version. */
  private static final String REMOVED = "its previous version was removed";

  private final IngestDocuments ingest;
  private final DeleteDocuments delete;

  BatchRunner(IngestDocuments ingest, DeleteDocuments delete) {
    this.ingest = Objects.requireNonNull(ingest, "ingest");
    this.delete = Objects.requireNonNull(delete, "delete");
  }

  /** One unit's fate: the outcome of each of its documents, and problems that are not outcomes. */
  record UnitResult(String id, List<DocumentOutcome> outcomes, List<Problem> problems) {
    UnitResult {
      outcomes = List.copyOf(outcomes);
      problems = List.copyOf(problems);
    }

    boolean failed() {
      return !problems.isEmpty()
          || outcomes.stream().anyMatch(DocumentOutcome.Failed.class::isInstance);
    }

    /** Whether trying the unit again later can succeed. */
    boolean retriable() {
      return problems.stream().anyMatch(Problem::retriable)
          || outcomes.stream()
              .anyMatch(o -> o instanceof DocumentOutcome.Failed f && f.reason().retriable());
    }
  }

  /** Why a unit failed when no document outcome says it. */
  record Problem(String detail, boolean retriable) {}

  /** Every unit's result, in the order given, and how many chunks were embedded. */
  record BatchResult(List<UnitResult> units, long chunksEmbedded) {
    List<UnitResult> failed() {
      return units.stream().filter(UnitResult::failed).toList();
    }
  }

  private static final class Tally {
    final String id;
    final List<DocumentOutcome> outcomes = new ArrayList<>();
    final List<Problem> problems = new ArrayList<>();

    Tally(String id) {
      this.id = id;
    }

    boolean failed() {
      return !problems.isEmpty()
          || outcomes.stream().anyMatch(DocumentOutcome.Failed.class::isInstance);
    }
  }

  /**
   * The items of a run in order, flattened, with the index of the unit each belongs to. A group of
   * items sent together is a contiguous run of it, so nothing wraps an item on its way.
   */
  private static final class Items {
    final List<WorkItem> items = new ArrayList<>();
    final List<Integer> units = new ArrayList<>();

    Items(List<Unit> all, int from, int to) {
      for (int u = from; u < to; u++) {
        if (all.get(u).malformed() == null) {
          for (WorkItem item : all.get(u).items()) {
            items.add(item);
            units.add(u);
          }
        }
      }
    }

    int size() {
      return items.size();
    }
  }

  BatchResult run(List<Unit> units, StopSignal stop, boolean inOrder) {
    List<Tally> tallies = new ArrayList<>(units.size());
    for (Unit unit : units) {
      Tally tally = new Tally(unit.id());
      if (unit.malformed() != null) {
        tally.problems.add(new Problem("malformed: " + unit.malformed(), false));
      }
      tallies.add(tally);
    }
    long embedded = 0;
    if (inOrder) {
      for (int u = 0; u < units.size(); u++) {
        Tally tally = tallies.get(u);
        if (!tally.failed()) {
          embedded += runItems(new Items(units, u, u + 1), stop, tallies);
        }
        if (tally.failed()) {
          for (int later = u + 1; later < units.size(); later++) {
            tallies
                .get(later)
                .problems
                .add(new Problem("not started: message " + tally.id + " before it failed", true));
          }
          break;
        }
      }
    } else {
      embedded = runItems(new Items(units, 0, units.size()), stop, tallies);
    }
    return new BatchResult(
        tallies.stream().map(t -> new UnitResult(t.id, t.outcomes, t.problems)).toList(), embedded);
  }

  /** Runs items group by group; returns the chunks embedded. */
  private long runItems(Items run, StopSignal stop, List<Tally> tallies) {
    long embedded = 0;
    int next = 0;
    while (next < run.size()) {
      if (stop.stopRequested()) {
        for (int i = next; i < run.size(); i++) {
          tallies
              .get(run.units.get(i))
              .outcomes
              .add(
                  new DocumentOutcome.Failed(
                      run.items.get(i).documentId(),
                      FailureReason.NOT_STARTED,
                      "the invocation's deadline came before this document was started"));
        }
        break;
      }
      if (run.items.get(next) instanceof WorkItem.Delete d) {
        runDelete(run.units.get(next), d.documentId(), tallies);
        next++;
        continue;
      }
      int from = next;
      Set<DocumentId> ids = new HashSet<>();
      while (next < run.size()
          && run.items.get(next) instanceof WorkItem.Ingest
          && ids.add(run.items.get(next).documentId())) {
        next++;
      }
      embedded += runIngest(run, from, next, stop, tallies);
    }
    return embedded;
  }

  /** Ingests items {@code from} (inclusive) to {@code to} (exclusive) of {@code run} together. */
  private long runIngest(Items run, int from, int to, StopSignal stop, List<Tally> tallies) {
    List<IngestRequest> requests = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      requests.add(((WorkItem.Ingest) run.items.get(i)).request());
    }
    IngestReport report;
    try {
      report = ingest.ingest(new IngestCommand(requests, stop));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "ingesting " + requests.size() + " documents threw", e);
      for (int i = from; i < to; i++) {
        tallies.get(run.units.get(i)).problems.add(new Problem("ingestion failed: " + e, true));
      }
      return 0;
    }
    for (int i = from; i < to; i++) {
      DocumentOutcome outcome = report.outcomes().get(i - from);
      if (((WorkItem.Ingest) run.items.get(i)).goneMeansDeleted()
          && outcome instanceof DocumentOutcome.Failed f
          && f.reason() == FailureReason.NOT_FOUND) {
        // The object is gone, as its removal event says; the core removed any stored version.
        outcome = new DocumentOutcome.Deleted(f.documentId(), f.detail().endsWith(REMOVED));
      }
      tallies.get(run.units.get(i)).outcomes.add(outcome);
    }
    return report.chunksEmbedded();
  }

  private void runDelete(int unit, DocumentId id, List<Tally> tallies) {
    try {
      tallies.get(unit).outcomes.addAll(delete.delete(DeleteCommand.of(id)).outcomes());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "deleting " + id + " threw", e);
      tallies.get(unit).problems.add(new Problem("deletion failed: " + e, true));
    }
  }
}
