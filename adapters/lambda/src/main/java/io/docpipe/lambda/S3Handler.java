package io.docpipe.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.StopSignal;
import io.docpipe.lambda.BatchRunner.BatchResult;
import io.docpipe.lambda.BatchRunner.UnitResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Lambda handler for S3 event notifications ({@code io.docpipe.lambda.S3Handler}), invoked
 * asynchronously by S3: a created object is ingested, a removed one deleted. Answers with a summary
 * ({@code indexed}, {@code unchanged}, {@code deleted}, {@code failed}, {@code chunksEmbedded},
 * {@code failures}). When a document failed in a way a retry can mend (store or model unavailable,
 * deadline), the invocation fails after doing what it could, so Lambda retries the event; ingestion
 * is idempotent, so the documents already done come back unchanged. Permanent failures (an empty or
 * binary object, a key that is not a valid id) are logged and not retried.
 */
public final class S3Handler implements RequestStreamHandler {

  private static final System.Logger LOG = System.getLogger(S3Handler.class.getName());

  private final Supplier<LambdaEnvironment> environment;

  /** Called by the Lambda runtime; the environment is built on the first call in the JVM. */
  public S3Handler() {
    this(LambdaEnvironment.process());
  }

  S3Handler(LambdaEnvironment environment) {
    this(() -> environment);
  }

  /** Asks {@code environment} on each invocation: it changes when a secret is rotated. */
  S3Handler(Supplier<LambdaEnvironment> environment) {
    this.environment = environment;
  }

  /** Failed documents that a retry of the whole event can mend; Lambda retries on this. */
  static final class RetriableFailure extends RuntimeException {
    RetriableFailure(String message) {
      super(message);
    }
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    output.write(handle(input.readAllBytes(), Deadline.of(context)));
  }

  /**
   * The summary of one S3 event.
   *
   * @throws IllegalArgumentException when the event is not an S3 notification
   * @throws RetriableFailure when some document failed retriably (after all others were done)
   */
  byte[] handle(byte[] event, StopSignal stop) {
    JsonNode root = LambdaJson.read(event);
    JsonNode records = root.path("Records");
    if (!records.isArray()) {
      throw new IllegalArgumentException("not an S3 event: 'Records' must be an array");
    }
    List<Unit> units = new ArrayList<>(records.size());
    for (int i = 0; i < records.size(); i++) {
      String id = "Records[" + i + "]";
      try {
        units.add(Unit.of(id, S3Notifications.item(records.get(i)).stream().toList()));
      } catch (IllegalArgumentException e) {
        units.add(Unit.malformed(id, e.getMessage()));
      }
    }
    BatchResult result = environment.get().batches().run(units, stop, false);
    ObjectNode summary = summary(result);
    List<UnitResult> failed = result.failed();
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
    return LambdaJson.write(summary);
  }

  private static ObjectNode summary(BatchResult result) {
    int indexed = 0;
    int unchanged = 0;
    int deleted = 0;
    int failed = 0;
    ObjectNode summary = LambdaJson.MAPPER.createObjectNode();
    ArrayNode failures = LambdaJson.MAPPER.createArrayNode();
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
