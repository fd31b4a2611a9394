package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.s3Event;
import static io.docpipe.lambda.AwsEvents.s3Record;
import static io.docpipe.lambda.TestEnvironments.BUCKET;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.StopSignal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The S3 handler over a real environment: in-process model, Lucene index, S3 mirror. */
class S3HandlerTest {

  @RegisterExtension static final TestEnvironments.PerClass ENV = new TestEnvironments.PerClass();

  private final S3Handler handler = new S3Handler(ENV.component());

  @Test
  void createdObjects_withEncodedKeys_areIndexedUnderTheirDecodedKeys() throws Exception {
    ENV.putObject("notes/tide tables.md", "Tide tables list high and low water for the harbour.");
    ENV.putObject(
        "notes/c++ templates.md", "Templates in C plus plus are instantiated at compile time.");
    ENV.putObject(
        "notes/Brötchen über Nacht.txt", "Ein Rezept für Brötchen, die über Nacht gehen.");
    ENV.putObject("notes/50% off?#1.md", "Half price on every kite in the spring sale.");

    JsonNode summary =
        run(
            s3Event(
                s3Record("ObjectCreated:Put", BUCKET, "notes/tide+tables.md", 52),
                s3Record("ObjectCreated:Put", BUCKET, "notes/c%2B%2B+templates.md", 60),
                s3Record(
                    "ObjectCreated:CompleteMultipartUpload",
                    BUCKET,
                    "notes/Br%C3%B6tchen+%C3%BCber+Nacht.txt",
                    50),
                s3Record("ObjectCreated:Put", BUCKET, "notes/50%25+off%3F%231.md", 44)));

    assertThat(summary.path("indexed").asInt()).as(summary.toString()).isEqualTo(4);
    assertThat(summary.path("failed").asInt()).isZero();
    assertThat(ENV.search("high and low water in the harbour", 1))
        .containsExactly("notes/tide tables.md");
    assertThat(ENV.search("C++ template instantiation", 1))
        .containsExactly("notes/c++ templates.md");
    assertThat(ENV.search("Brötchen Rezept", 1)).containsExactly("notes/Brötchen über Nacht.txt");
    assertThat(ENV.search("kite spring sale half price", 1)).containsExactly("notes/50% off?#1.md");
  }

  @Test
  void aRemovedObject_isDeletedFromTheIndex() throws Exception {
    ENV.putObject("gone/lighthouse.md", "The lighthouse keeper trims the lamp wick every evening.");
    run(s3Event(s3Record("ObjectCreated:Put", BUCKET, "gone/lighthouse.md", 57)));
    assertThat(ENV.search("lighthouse keeper lamp wick", 1)).contains("gone/lighthouse.md");

    Files.delete(ENV.dir().resolve("s3").resolve(BUCKET).resolve("gone/lighthouse.md"));
    JsonNode summary =
        run(s3Event(s3Record("ObjectRemoved:Delete", BUCKET, "gone/lighthouse.md", 0)));

    assertThat(summary.path("deleted").asInt()).isEqualTo(1);
    assertThat(summary.path("failed").asInt()).isZero();
    assertThat(ENV.search("lighthouse keeper lamp wick", 5)).doesNotContain("gone/lighthouse.md");
  }

  @Test
  void theSameEventTwice_embedsOnce_andLeavesTheSameIndex() throws Exception {
    ENV.putObject("twice/bees.md", "Honey bees dance to tell the hive where flowers are.");
    byte[] event = s3Event(s3Record("ObjectCreated:Put", BUCKET, "twice/bees.md", 51));

    JsonNode first = run(event);
    long points = ENV.component().vectorStore().count();
    JsonNode second = run(event);

    assertThat(first.path("indexed").asInt()).isEqualTo(1);
    assertThat(first.path("chunksEmbedded").asLong()).isPositive();
    assertThat(second.path("unchanged").asInt()).isEqualTo(1);
    assertThat(second.path("chunksEmbedded").asLong()).isZero();
    assertThat(ENV.component().vectorStore().count()).isEqualTo(points);
  }

  @Test
  void permanentFailures_areReported_withoutFailingTheInvocation_andAMissingObjectIsDeleted()
      throws Exception {
    ENV.putObject("bad/empty.txt", "");

    JsonNode summary =
        run(
            s3Event(
                s3Record("ObjectCreated:Put", BUCKET, "bad/empty.txt", 0),
                s3Record("ObjectCreated:Put", BUCKET, "bad/missing.txt", 10),
                s3Record("ObjectCreated:Put", BUCKET, "bad/broken%zz.txt", 10)));

    assertThat(summary.path("failed").asInt()).isEqualTo(2);
    assertThat(summary.path("deleted").asInt()).isEqualTo(1); // removed after its PUT
    assertThat(summary.path("failures").toString())
        .contains("EMPTY")
        .doesNotContain("NOT_FOUND")
        .contains("Records[2]")
        .contains("not URL-encoded correctly");
  }

  @Test
  void pastTheDeadline_nothingStarts_andTheInvocationFailsSoLambdaRetries() throws Exception {
    ENV.putObject("late/owl.md", "Owls hunt at night.");
    byte[] event = s3Event(s3Record("ObjectCreated:Put", BUCKET, "late/owl.md", 19));

    assertThatThrownBy(() -> handler.handle(event, () -> true))
        .isInstanceOf(S3Handler.RetriableFailure.class)
        .hasMessageContaining("NOT_STARTED");
    assertThat(ENV.search("owls hunting at night", 5)).doesNotContain("late/owl.md");
  }

  @Test
  void somethingThatIsNotAnS3Event_isRefused() {
    assertThatThrownBy(
            () ->
                handler.handle("{\"hello\":1}".getBytes(StandardCharsets.UTF_8), StopSignal.NEVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an S3 event");
    assertThatThrownBy(() -> handler.handle(new byte[] {(byte) 0xff, '{'}, StopSignal.NEVER))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UTF-8");
  }

  @Test
  void putDeletePutEvents_deliveredInEveryOrder_leaveTheIndexEqualToTheBucket() throws Exception {
    // Two histories of a key: PUT v1, DELETE, PUT v2 (the object is there at the end) and PUT v1,
    // PUT v2, DELETE (it is gone). S3 sends each event after its change, in any order.
    String[][] histories = {
      {"ObjectCreated:Put", "ObjectRemoved:Delete", "ObjectCreated:Put"},
      {"ObjectCreated:Put", "ObjectCreated:Put", "ObjectRemoved:Delete"}
    };
    int[][] orders = {{0, 1, 2}, {0, 2, 1}, {1, 0, 2}, {1, 2, 0}, {2, 0, 1}, {2, 1, 0}};
    Map<DocumentId, Boolean> inBucket = new HashMap<>();
    for (int h = 0; h < histories.length; h++) {
      for (int o = 0; o < orders.length; o++) {
        String key = "order/history" + h + "-order" + o + ".md";
        boolean present = h == 0;
        inBucket.put(DocumentId.of(key), present);
        if (present) {
          ENV.putObject(key, "Version two of " + key + ": otters share the river bank.");
        }
        for (int event : orders[o]) {
          JsonNode summary = run(s3Event(s3Record(histories[h][event], BUCKET, key, 60)));
          assertThat(summary.path("failed").asInt()).as(key + " " + summary).isZero();
        }
      }
    }

    Map<DocumentId, ?> stored = ENV.component().vectorStore().storedHashes(inBucket.keySet());
    inBucket.forEach(
        (id, present) -> assertThat(stored.containsKey(id)).as(id.value()).isEqualTo(present));
    // And what is indexed is the bucket's current version: one more PUT event changes nothing.
    for (var entry : inBucket.entrySet()) {
      if (entry.getValue()) {
        JsonNode again =
            run(s3Event(s3Record("ObjectCreated:Put", BUCKET, entry.getKey().value(), 60)));
        assertThat(again.path("unchanged").asInt()).as(entry.getKey().value()).isEqualTo(1);
      }
    }
  }

  private JsonNode run(byte[] event) {
    return AwsEvents.parse(handler.handle(event, StopSignal.NEVER));
  }
}
