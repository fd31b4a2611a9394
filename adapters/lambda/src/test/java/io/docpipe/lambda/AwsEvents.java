package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * Test events derived from this module's fixtures in {@code src/test/resources/aws-events} (shapes
 * as AWS documents them; the README there says where): the fixture's shape with this test's bucket,
 * key, body or route written in.
 */
final class AwsEvents {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private AwsEvents() {}

  /** A fixture from {@code src/test/resources/aws-events}, parsed afresh (callers change it). */
  static ObjectNode fixture(String file) {
    try (InputStream in = AwsEvents.class.getResourceAsStream("/aws-events/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no fixture aws-events/" + file + " on the class path");
      }
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * One S3 record of the sample, for {@code eventName} on {@code rawKey} (URL-encoded as S3 does).
   */
  static ObjectNode s3Record(String eventName, String bucket, String rawKey, long size) {
    ObjectNode record = (ObjectNode) fixture("s3-notification.json").path("Records").get(0);
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

  /** One SQS record with {@code body}: from the FIFO fixture when {@code fifo}, else standard. */
  static ObjectNode sqsRecord(String messageId, String body, boolean fifo) {
    String file = fifo ? "sqs-fifo-batch.json" : "sqs-batch.json";
    ObjectNode record = (ObjectNode) fixture(file).path("Records").get(0);
    record.put("messageId", messageId);
    record.put("body", body);
    if (fifo) {
      ((ObjectNode) record.path("attributes"))
          .put("MessageDeduplicationId", messageId)
          .put("SequenceNumber", "1800000000000000" + Math.abs(messageId.hashCode()));
    }
    return record;
  }

  static byte[] sqsEvent(List<ObjectNode> records) {
    ObjectNode event = MAPPER.createObjectNode();
    event.putArray("Records").addAll(records);
    return bytes(event);
  }

  /** A message body that is JSON but none of the messages docpipe understands. */
  static final String UNKNOWN_MESSAGE_BODY = "{\"id\":43242,\"name\":\"FooBar XY\",\"price\":258}";

  /** The HTTP API (payload 2.0) sample, with this method, path and body. */
  static ObjectNode httpEvent(String method, String rawPath, String body) {
    ObjectNode event = fixture("apigw-http-api-v2.json");
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
