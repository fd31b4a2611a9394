package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.json;
import static io.docpipe.lambda.AwsEvents.sqsEvent;
import static io.docpipe.lambda.AwsEvents.sqsRecord;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.testkit.EmbeddingsStandIn;
import io.docpipe.wiring.DocpipeConfig;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An SQS batch whose work is ten times the time the invocation has left: the handler answers before
 * the deadline, with the finished documents written whole and every other message in {@code
 * batchItemFailures}. Time is the model's time (the embeddings stand-in's count of texts times a
 * fixed cost per text): on a machine shared by many builds the wall clock measures the machine;
 * this measures that the handler stops in time.
 */
class DeadlineBoundedBatchTest {

  /** Time left when the invocation starts; the model needs twelve times as much for the batch. */
  private static final Duration TIME_LEFT = Duration.ofMillis(400);

  private static final Duration MARGIN = Duration.ofMillis(150);
  private static final Duration PER_TEXT = Duration.ofMillis(20);
  private static final int MESSAGES = 40;
  private static final int INVOCATIONS = 20;

  @TempDir Path dir;

  @Test
  void batchOfTenTimesTheTimeLeft_answersBeforeTheDeadline_withTheFinishedIndexedAndTheRestBack()
      throws Exception {
    try (EmbeddingsStandIn model = EmbeddingsStandIn.start(8, "slow")) {
      Map<String, String> env = new HashMap<>(TestEnvironments.variables(dir));
      env.putAll(model.env());
      env.put("DOCPIPE_CHUNK_TOKENS", "64");
      env.put("DOCPIPE_CHUNK_OVERLAP", "0");
      env.put("DOCPIPE_EMBEDDING_BATCH_SIZE", "4");
      LambdaComponent environment = LambdaComponent.create(DocpipeConfig.fromEnvironment(env));
      try {
        SqsHandler handler = new SqsHandler(environment);
        List<String> late = new ArrayList<>();
        int finished = 0;
        for (int invocation = 0; invocation < INVOCATIONS; invocation++) {
          List<ObjectNode> records = new ArrayList<>();
          Set<String> all = new HashSet<>();
          for (int m = 0; m < MESSAGES; m++) {
            String id = "inv" + invocation + "-m" + m;
            all.add(id);
            records.add(sqsRecord(id, inlineDocument(id), false));
          }
          long textsBefore = model.inputs();
          long deadline = modelTime(model).plus(TIME_LEFT).toNanos();
          Deadline stop =
              new Deadline(contextEndingAt(() -> deadline - modelTime(model).toNanos()), MARGIN);

          JsonNode response = AwsEvents.parse(handler.handle(sqsEvent(records), stop));

          long over = modelTime(model).toNanos() - deadline;
          if (over > 0) {
            late.add("invocation " + invocation + " answered " + over / 1_000_000 + " ms late");
          }
          Set<String> back = new HashSet<>(SqsHandlerTest.failedIds(response));
          assertThat(all).containsAll(back);
          Set<String> done = new HashSet<>(all);
          done.removeAll(back);
          // Ten times the time left: most of the batch must come back.
          assertThat(back.size()).isGreaterThanOrEqualTo(MESSAGES / 2);
          Map<DocumentId, ContentHash> stored =
              environment.vectorStore().storedHashes(all.stream().map(DocumentId::of).toList());
          assertThat(stored.keySet())
              .as("exactly the finished documents are in the index")
              .containsExactlyInAnyOrderElementsOf(done.stream().map(DocumentId::of).toList());
          assertThat(model.inputs() - textsBefore)
              .as("the model worked on far less than the batch")
              .isLessThan(MESSAGES * 6 / 2);
          finished += done.size();
        }
        assertThat(late).as("invocations that would have timed out").isEmpty();
        assertThat(finished).as("documents finished over all invocations").isPositive();
        // At least six chunks a document: each batch asks for 40 x 6 x 20 ms, twelve times the
        // time.
        assertThat(environment.vectorStore().count()).isGreaterThanOrEqualTo(6L * finished);
      } finally {
        environment.close();
      }
    }
  }

  /** A message with one document of six paragraphs, one chunk of at most 64 tokens each. */
  private static String inlineDocument(String id) {
    StringBuilder text = new StringBuilder();
    for (int w = 0; w < 24; w++) {
      text.append(id).append("w").append(w).append(w % 4 == 3 ? ".\n\n" : " ");
    }
    return json(
        Map.of(
            "documents",
            List.of(Map.of("id", id, "text", text.toString(), "mediaType", "text/plain"))));
  }

  /** The model time spent so far: {@link #PER_TEXT} for every text the stand-in embedded. */
  private static Duration modelTime(EmbeddingsStandIn model) {
    return PER_TEXT.multipliedBy(model.inputs());
  }

  /** A Lambda context whose remaining time is {@code remainingNanos}. */
  private static Context contextEndingAt(LongSupplier remainingNanos) {
    return (Context)
        Proxy.newProxyInstance(
            Context.class.getClassLoader(),
            new Class<?>[] {Context.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "getRemainingTimeInMillis" ->
                      (int) Math.max(0, remainingNanos.getAsLong() / 1_000_000);
                  case "getAwsRequestId" -> "test-request";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "toString" -> "Context(deadline)";
                  default -> null;
                });
  }
}
