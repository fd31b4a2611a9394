package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.json;
import static io.docpipe.lambda.AwsEvents.s3Event;
import static io.docpipe.lambda.AwsEvents.s3Record;
import static io.docpipe.lambda.AwsEvents.sqsEvent;
import static io.docpipe.lambda.AwsEvents.sqsRecord;
import static io.docpipe.lambda.TestEnvironments.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.core.model.StopSignal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The SQS handler over a real environment: partial batch responses, FIFO order, deadlines. */
class SqsHandlerTest {

  @RegisterExtension static final TestEnvironments.PerClass ENV = new TestEnvironments.PerClass();

  private final SqsHandler handler = new SqsHandler(ENV.component());

  @Test
  void everyKindOfMessage_isUnderstood() throws Exception {
    ENV.putObject("kinds/from s3.md", "Glaciers carve valleys over thousands of years.");
    ENV.putObject("kinds/from sns.md", "Volcanic ash makes soil fertile for vineyards.");
    String s3Notification =
        new String(
            s3Event(s3Record("ObjectCreated:Put", BUCKET, "kinds/from+s3.md", 47)),
            StandardCharsets.UTF_8);
    String viaSns =
        json(
            Map.of(
                "Type",
                "Notification",
                "Message",
                new String(
                    s3Event(s3Record("ObjectCreated:Put", BUCKET, "kinds/from+sns.md", 46)),
                    StandardCharsets.UTF_8)));
    String inline =
        json(
            Map.of(
                "documents",
                List.of(
                    Map.of(
                        "id", "kinds/inline.md",
                        "text", "Sourdough starter needs flour and water every day.",
                        "mediaType", "text/markdown"))));
    String testEvent = "{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\",\"Bucket\":\"b\"}";

    JsonNode response =
        run(
            List.of(
                sqsRecord("m1", s3Notification, false),
                sqsRecord("m2", viaSns, false),
                sqsRecord("m3", inline, false),
                sqsRecord("m4", testEvent, false)));

    assertThat(failedIds(response)).isEmpty();
    assertThat(ENV.search("glaciers carving valleys", 1)).containsExactly("kinds/from s3.md");
    assertThat(ENV.search("volcanic soil vineyards", 1)).containsExactly("kinds/from sns.md");
    assertThat(ENV.search("sourdough starter feeding", 1)).containsExactly("kinds/inline.md");

    JsonNode deleted = run(List.of(sqsRecord("m5", "{\"delete\":[\"kinds/inline.md\"]}", false)));

    assertThat(failedIds(deleted)).isEmpty();
    assertThat(ENV.search("sourdough starter feeding", 5)).doesNotContain("kinds/inline.md");
  }

  @Test
  void poisonMessages_comeBackAlone_andTheGoodOnesAreIndexedOnce() throws Exception {
    List<ObjectNode> records = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String id = "poison-" + i;
      if (i == 3) {
        records.add(sqsRecord(id, AwsEvents.UNKNOWN_MESSAGE_BODY, false));
      } else if (i == 7) {
        records.add(sqsRecord(id, "{\"documents\":[{\"id\":\"x\"", false));
      } else {
        ENV.putObject(
            "poison/doc " + i + ".txt", "Poison batch document number " + i + " about otters.");
        records.add(
            sqsRecord(
                id,
                new String(
                    s3Event(s3Record("ObjectCreated:Put", BUCKET, "poison/doc+" + i + ".txt", 40)),
                    StandardCharsets.UTF_8),
                false));
      }
    }
    long before = ENV.component().vectorStore().count();

    JsonNode response = run(records);

    assertThat(failedIds(response)).containsExactlyInAnyOrder("poison-3", "poison-7");
    assertThat(ENV.component().vectorStore().count() - before).isEqualTo(8);
  }

  @Test
  void fromAFifoQueue_theFirstFailureAndEverythingAfterItComesBack() throws Exception {
    List<ObjectNode> records = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String body =
          i == 2
              ? "{\"delete\":[]}"
              : json(
                  Map.of(
                      "documents",
                      List.of(
                          Map.of(
                              "id",
                              "fifo/" + i,
                              "text",
                              "Ordered message " + i + " about kites."))));
      records.add(sqsRecord("f" + i, body, true));
    }

    JsonNode response = run(records);

    assertThat(failedIds(response)).containsExactly("f2", "f3", "f4");
    assertThat(
            ENV.component()
                .vectorStore()
                .storedHashes(
                    List.of(
                        io.docpipe.core.model.DocumentId.of("fifo/0"),
                        io.docpipe.core.model.DocumentId.of("fifo/1"),
                        io.docpipe.core.model.DocumentId.of("fifo/3"))))
        .containsOnlyKeys(
            io.docpipe.core.model.DocumentId.of("fifo/0"),
            io.docpipe.core.model.DocumentId.of("fifo/1"));
  }

  @Test
  void whenTheDeadlineComes_unstartedMessagesComeBack() throws Exception {
    List<ObjectNode> records = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      records.add(sqsRecord("d" + i, json(Map.of("delete", List.of("deadline/" + i))), false));
    }
    AtomicInteger asked = new AtomicInteger();
    StopSignal afterTwo = () -> asked.incrementAndGet() > 2;

    JsonNode response = AwsEvents.parse(handler.handle(sqsEvent(records), afterTwo));

    assertThat(failedIds(response)).containsExactly("d2", "d3");
  }

  @Test
  void aBatchThatIsNotAnSqsEvent_isRefusedWhole() {
    assertThatThrownBy(
            () -> handler.handle("[]".getBytes(StandardCharsets.UTF_8), StopSignal.NEVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an SQS event");
    ObjectNode noId = sqsRecord("x", "{}", false);
    noId.remove("messageId");
    assertThatThrownBy(() -> handler.handle(sqsEvent(List.of(noId)), StopSignal.NEVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no messageId");
  }

  private JsonNode run(List<ObjectNode> records) {
    return AwsEvents.parse(handler.handle(sqsEvent(records), StopSignal.NEVER));
  }

  static List<String> failedIds(JsonNode response) {
    List<String> ids = new ArrayList<>();
    response.path("batchItemFailures").forEach(f -> ids.add(f.path("itemIdentifier").asText()));
    return ids;
  }
}
