package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.api.StrictJson;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.StopSignal;
import io.docpipe.lambda.BatchRunner.BatchResult;
import io.docpipe.lambda.BatchRunner.UnitResult;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Lambda handler for S3 event notifications ({@code io.docpipe.lambda.S3Handler}), invoked
 * asynchronously by S3: a created object is ingested, a removed one deleted. Answers with a summary
 * ({@code indexed}, {@code unchanged}, {@code deleted}, {@code failed}, {@code chunksEmbedded},
 * {@code failures}). When a document failed in a way a retry can mend (store or model unavailable,
 * deadline), the invocation fails after doing what it could, so Lambda retries the event; ingestion
 * is idempotent, so the documents already done come back unchanged. Permanent failures (an empty or
 * binary object, a key that is not a valid id) are logged and not retried.
 */
public final class S3Handler extends ComponentHandler {

  private static final System.Logger LOG = System.getLogger(S3Handler.class.getName());

  /** Called by the Lambda runtime (see {@link ComponentHandler#ComponentHandler()}). */
  public S3Handler() {}

  S3Handler(LambdaComponent component) {
    super(component);
  }

  /** Failed documents that a retry of the whole event can mend; Lambda retries on this. */
  static final class RetriableFailure extends RuntimeException {
    RetriableFailure(String message) {
      super(message);
    }
  }

  /**
   * The summary of one S3 event.
   *
   * @throws IllegalArgumentException when the event is not an S3 notification
   * @throws RetriableFailure when some document failed retriably (after all others were done)
   */
  @Override
  byte[] handle(byte[] event, StopSignal stop) {
    JsonNode records = EventRecords.of(event, "an S3 event");
    return InvocationTrace.inSpan(
        component.get().tracing(),
        "docpipe.s3.event",
        InvocationTrace.invocationParent(),
        List.of(),
        () -> handle(records, stop));
  }

  private byte[] handle(JsonNode records, StopSignal stop) {
    List<Unit> units = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      String id = "Records[" + i + "]";
      try {
        WorkItem item = S3Notifications.item(records.get(i));
        units.add(Unit.of(id, item == null ? List.of() : List.of(item)));
      } catch (IllegalArgumentException e) {
        units.add(
            Unit.malformed(id, java.util.Objects.requireNonNullElse(e.getMessage(), e.toString())));
      }
    }
    LambdaComponent environment = component.get();
    BatchResult result = environment.batches().run(units, stop, false);
    ObjectNode summary = summary(result);
    List<UnitResult> failed = result.failed();
    if (!failed.isEmpty()) {
      environment.emf().batchFailed();
    }
    for (UnitResult unit : failed) {
      LOG.log(
          unit.retriable() ? Level.WARNING : Level.ERROR,
          "{0} failed ({1}): {2} {3}",
          unit.id(),
          unit.retriable() ? "retriable: the event will be retried" : "permanent: not retried",
          unit.problems(),
          unit.outcomes());
    }
    if (failed.stream().anyMatch(UnitResult::retriable)) {
      throw new RetriableFailure(
          "documents failed retriably; Lambda retries the event: " + summary);
    }
    return StrictJson.write(summary);
  }

  private static ObjectNode summary(BatchResult result) {
    int indexed = 0;
    int unchanged = 0;
    int deleted = 0;
    int failed = 0;
    ObjectNode summary = StrictJson.objectNode();
    ArrayNode failures = StrictJson.arrayNode();
    for (UnitResult unit : result.units()) {
      for (DocumentOutcome outcome : unit.outcomes()) {
        switch (outcome) {
          case DocumentOutcome.Indexed i -> indexed++;
          case DocumentOutcome.Unchanged u -> unchanged++;
          case DocumentOutcome.Deleted d -> deleted++;
          case DocumentOutcome.Failed f -> {
            failed++;
            failures
                .addObject()
                .put("record", unit.id())
                .put("id", f.documentId().value())
                .put("reason", f.reason().name())
                .put("retriable", f.reason().retriable())
                .put("detail", f.detail());
          }
        }
      }
      for (BatchRunner.Problem problem : unit.problems()) {
        failed++;
        failures
            .addObject()
            .put("record", unit.id())
            .put("retriable", problem.retriable())
            .put("detail", problem.detail());
      }
    }
    summary.put("indexed", indexed);
    summary.put("unchanged", unchanged);
    summary.put("deleted", deleted);
    summary.put("failed", failed);
    summary.put("chunksEmbedded", result.chunksEmbedded());
    summary.set("failures", failures);
    return summary;
  }
}
