package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Test events derived from AWS's own sample events in {@code
 * ${docpipe.shared.dir}/fixtures/aws-events} (read in place): the sample's shape with this test's
 * bucket, key, body or route written in.
 */
final class AwsEvents {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AwsEvents() {}

  static Path fixtures() {
    String shared = System.getProperty("docpipe.shared.dir");
    if (shared == null) {
      throw new IllegalStateException("docpipe.shared.dir is not set: run the tests with Maven");
    }
    return Path.of(shared, "fixtures", "aws-events");
  }

  private static ObjectNode sample(String file) {
    try {
      return (ObjectNode) MAPPER.readTree(fixtures().resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One S3 record of the sample, for {@code eventName} on {@code rawKey} (URL-encoded as S3 does).
   */
  static ObjectNode s3Record(String eventName, String bucket, String rawKey, long size) {
    ObjectNode record = (ObjectNode) sample("s3_event.json").path("Records").get(0);
    record.put("eventName", eventName);
    ObjectNode s3 = (ObjectNode) record.path("s3");
    ((ObjectNode) s3.path("bucket")).put("name", bucket).put("arn", "arn:aws:s3:::" + bucket);
    ObjectNode object = (ObjectNode) s3.path("object");
    object.put("key", rawKey);
    object.remove("urlDecodedKey");
    if (eventName.startsWith("ObjectRemoved:")) {
      object.remove("size");
      object.remove("eTag");
    } else {
      object.put("size", size);
    }
    return record;
  }

  static byte[] s3Event(JsonNode... records) {
    ObjectNode event = MAPPER.createObjectNode();
    ArrayNode array = event.putArray("Records");
    for (JsonNode record : records) {
      array.add(record);
    }
    return bytes(event);
  }

  /** One SQS record of the sample with {@code body}; from a FIFO queue when {@code fifo}. */
  static ObjectNode sqsRecord(String messageId, String body, boolean fifo) {
    ObjectNode record = (ObjectNode) sample("sqs_event.json").path("Records").get(0);
    record.put("messageId", messageId);
    record.put("body", body);
    if (fifo) {
      record.put("eventSourceARN", "arn:aws:sqs:eu-central-1:123456789012:docpipe.fifo");
      ((ObjectNode) record.path("attributes"))
          .put("MessageGroupId", "docs")
          .put("MessageDeduplicationId", messageId)
          .put("SequenceNumber", "1800000000000000" + messageId.hashCode());
    }
    return record;
  }

  static byte[] sqsEvent(List<ObjectNode> records) {
    ObjectNode event = MAPPER.createObjectNode();
    event.putArray("Records").addAll(records);
    return bytes(event);
  }

  /** The sample body of the SQS fixture: a JSON object docpipe does not understand. */
  static String sampleSqsBody() {
    return sample("sqs_event.json").path("Records").get(0).path("body").asText();
  }

  /** The HTTP API (payload 2.0) sample, with this method, path and body. */
  static ObjectNode httpEvent(String method, String rawPath, String body) {
    ObjectNode event = sample("apigw_http_event.json");
    event.put("rawPath", rawPath);
    event.remove("rawQueryString");
    event.remove("queryStringParameters");
    ObjectNode http = (ObjectNode) event.path("requestContext").path("http");
    http.put("method", method).put("path", rawPath);
    event.put("body", body);
    ((ObjectNode) event.path("headers")).put("content-type", "application/json");
    return event;
  }

  static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(byte[] json) {
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
