package io.docpipe.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The harness's events have the shape of the documented AWS event shapes, field for field. */
class AwsEventsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aCreatedNotification_hasEveryFieldOfAwsSampleS3Event() throws IOException {
    ObjectNode event =
        AwsEvents.s3Notification(
            "bucket",
            AwsEvents.Change.CREATED,
            List.of(new AwsEvents.S3Object("dir with space/ä+b.md", 42)));

    Set<String> sample = fieldPaths(sample("s3-notification.json").path("Records").get(0), "");
    // urlDecodedKey is the Java events library's addition, not part of what S3 sends; versionId
    // only appears for a versioned bucket.
    sample.removeAll(Set.of("s3.object.urlDecodedKey", "s3.object.versionId"));
    assertThat(fieldPaths(event.path("Records").get(0), "")).isEqualTo(sample);
    JsonNode object = event.path("Records").get(0).path("s3").path("object");
    assertThat(object.path("key").asText()).isEqualTo("dir+with+space/%C3%A4%2Bb.md");
    assertThat(object.path("size").asLong()).isEqualTo(42);
  }

  @Test
  void aRemovedNotification_namesTheObjectWithoutSizeOrETag() {
    ObjectNode event =
        AwsEvents.s3Notification(
            "bucket", AwsEvents.Change.REMOVED, List.of(new AwsEvents.S3Object("a/b.md", 0)));

    JsonNode record = event.path("Records").get(0);
    assertThat(record.path("eventName").asText()).isEqualTo("ObjectRemoved:Delete");
    assertThat(fieldPaths(record.path("s3").path("object"), ""))
        .containsExactly("key", "sequencer");
  }

  @Test
  void anSqsBatch_hasEveryFieldOfAwsSampleSqsEvent_andCarriesTheNotificationsAsBodies()
      throws IOException {
    ObjectNode notification =
        AwsEvents.s3Notification(
            "bucket", AwsEvents.Change.CREATED, List.of(new AwsEvents.S3Object("a.md", 1)));

    ObjectNode batch = AwsEvents.sqsBatch("queue", List.of(notification, notification));

    assertThat(batch.path("Records")).hasSize(2);
    assertThat(fieldPaths(batch.path("Records").get(0), ""))
        .isEqualTo(fieldPaths(sample("sqs-batch.json").path("Records").get(0), ""));
    assertThat(JSON.readTree(batch.path("Records").get(1).path("body").asText()))
        .isEqualTo(JSON.readTree(notification.toString()));
  }

  private static JsonNode sample(String file) throws IOException {
    try (InputStream in = AwsEventsTest.class.getResourceAsStream("/aws-events/" + file)) {
      return JSON.readTree(in);
    }
  }

  /** The dotted paths of every leaf and empty object under {@code node}. */
  private static Set<String> fieldPaths(JsonNode node, String prefix) {
    Set<String> paths = new TreeSet<>();
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      JsonNode child = node.path(name);
      String path = prefix.isEmpty() ? name : prefix + "." + name;
      if (child.isObject() && child.size() > 0) {
        paths.addAll(fieldPaths(child, path));
      } else {
        paths.add(path);
      }
    }
    return paths;
  }
}
