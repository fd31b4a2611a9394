package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.api.StrictJson;
import io.docpipe.core.model.StopSignal;
import io.docpipe.lambda.BatchRunner.BatchResult;
import io.docpipe.lambda.BatchRunner.UnitResult;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Lambda handler for SQS batches ({@code io.docpipe.lambda.SqsHandler}): each message is an S3
 * notification or a docpipe command (see {@link EventMessages}). Answers with a partial batch
 * response: exactly the messages that did not succeed come back in {@code batchItemFailures}, to be
 * redelivered and, after the queue's {@code maxReceiveCount}, moved to its dead-letter queue. The
 * event source mapping must have {@code ReportBatchItemFailures} on. From a FIFO queue ({@code
 * .fifo}), the first failed message and every message after it come back, so order holds.
 */
public final class SqsHandler extends ComponentHandler {

  private static final System.Logger LOG = System.getLogger(SqsHandler.class.getName());

  /** Called by the Lambda runtime (see {@link ComponentHandler#ComponentHandler()}). */
  public SqsHandler() {}

  SqsHandler(LambdaComponent component) {
    super(component);
  }

  /**
   * The partial batch response for an SQS event.
   *
   * @throws IllegalArgumentException when the event is not an SQS batch at all, or a record has no
   *     message id: nothing could be reported one by one, so the whole batch must come back
   */
  @Override
  byte[] handle(byte[] event, StopSignal stop) {
    LambdaComponent environment = component.get();
    JsonNode records = EventRecords.of(event, "an SQS event");
    List<io.opentelemetry.api.trace.SpanContext> messages = InvocationTrace.sqsContexts(records);
    return InvocationTrace.inSpan(
        environment.tracing(),
        "docpipe.sqs.batch",
        InvocationTrace.sqsParent(messages),
        messages,
        () -> handle(environment, records, stop));
  }

  private byte[] handle(LambdaComponent environment, JsonNode records, StopSignal stop) {
    List<Unit> units = new ArrayList<>(records.size());
    boolean fifo = false;
    for (int i = 0; i < records.size(); i++) {
      JsonNode record = records.get(i);
      JsonNode id = record.path("messageId");
      if (!id.isTextual() || id.asText().isEmpty()) {
        throw new IllegalArgumentException("not an SQS event: Records[" + i + "] has no messageId");
      }
      fifo |= record.path("eventSourceARN").asText("").endsWith(".fifo");
      JsonNode body = record.path("body");
      units.add(
          body.isTextual()
              ? environment.messages().parse(id.asText(), body.asText())
              : Unit.malformed(id.asText(), "'body' is missing or not a string"));
    }
    BatchResult result = environment.batches().run(units, stop, fifo);
    ObjectNode response = StrictJson.objectNode();
    ArrayNode failures = response.putArray("batchItemFailures");
    for (UnitResult unit : result.failed()) {
      failures.addObject().put("itemIdentifier", unit.id());
      LOG.log(
          unit.retriable() ? Level.WARNING : Level.ERROR,
          "message {0} failed ({1}); it comes back{2}: {3} {4}",
          unit.id(),
          unit.retriable() ? "retriable" : "permanent",
          unit.retriable() ? "" : " until the queue moves it to its dead-letter queue",
          unit.problems(),
          unit.outcomes());
    }
    if (!failures.isEmpty()) {
      environment.emf().batchFailed();
    }
    LOG.log(
        Level.INFO,
        "{0} messages, {1} failed, {2} chunks embedded",
        units.size(),
        failures.size(),
        result.chunksEmbedded());
    return StrictJson.write(response);
  }
}
