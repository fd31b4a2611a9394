package io.docpipe.harness;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * The events AWS delivers to a function, shaped field for field as S3 event notifications
 * (structure version 2.1) and SQS batches are: what {@code S3Handler} and {@code SqsHandler} get in
 * production. A test holds the shape to AWS's sample events.
 */
final class AwsEvents {

  static final String REGION = "us-east-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  private AwsEvents() {}

  /** Whether a notification announces a new object or a deleted one. */
  enum Change {
    CREATED("ObjectCreated:Put"),
    REMOVED("ObjectRemoved:Delete");

    final String eventName;

    Change(String eventName) {
      this.eventName = eventName;
    }
  }

  /** One object of a notification: its key and, for a created one, its size in bytes. */
  record S3Object(String key, long size) {}

  /** An S3 event notification with one record per object, in order. */
  static ObjectNode s3Notification(String bucket, Change change, List<S3Object> objects) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    long sequence = 0;
    for (S3Object object : objects) {
      ObjectNode record = records.addObject();
      record.put("eventVersion", "2.1");
      record.put("eventSource", "aws:s3");
      record.put("awsRegion", REGION);
      record.put("eventTime", "2026-01-01T00:00:00.000Z");
      record.put("eventName", change.eventName);
      record.putObject("userIdentity").put("principalId", "AWS:DOCPIPEHARNESS");
      record.putObject("requestParameters").put("sourceIPAddress", "127.0.0.1");
      record
          .putObject("responseElements")
          .put("x-amz-request-id", "DOCPIPEHARNESS")
          .put("x-amz-id-2", "docpipe/harness");
      ObjectNode s3 = record.putObject("s3");
      s3.put("s3SchemaVersion", "1.0");
      s3.put("configurationId", "docpipe-harness");
      ObjectNode bucketNode = s3.putObject("bucket");
      bucketNode.put("name", bucket);
      bucketNode.putObject("ownerIdentity").put("principalId", "DOCPIPEHARNESS");
      bucketNode.put("arn", "arn:aws:s3:::" + bucket);
      ObjectNode objectNode = s3.putObject("object");
      // S3 URL-encodes keys in notifications (a space as '+'), keeping the slashes.
      objectNode.put(
          "key", URLEncoder.encode(object.key(), StandardCharsets.UTF_8).replace("%2F", "/"));
      if (change == Change.CREATED) {
        objectNode.put("size", object.size());
        objectNode.put("eTag", eTag(object.key()));
      }
      objectNode.put("sequencer", String.format("%018X", ++sequence));
    }
    return event;
  }

  /** An SQS batch, one message per notification, as an S3 → SQS → Lambda pipeline delivers it. */
  static ObjectNode sqsBatch(String queue, List<ObjectNode> notifications) {
    ObjectNode event = JSON.createObjectNode();
    ArrayNode records = event.putArray("Records");
    for (ObjectNode notification : notifications) {
      String body = notification.toString();
      ObjectNode record = records.addObject();
      record.put(
          "messageId", UUID.nameUUIDFromBytes(body.getBytes(StandardCharsets.UTF_8)).toString());
      record.put("receiptHandle", "docpipe-harness-" + records.size());
      record.put("body", body);
      record
          .putObject("attributes")
          .put("ApproximateReceiveCount", "1")
          .put("SentTimestamp", "1767225600000")
          .put("SenderId", "AIDADOCPIPEHARNESS")
          .put("ApproximateFirstReceiveTimestamp", "1767225600001");
      record.putObject("messageAttributes");
      record.put("md5OfBody", md5(body));
      record.put("eventSource", "aws:sqs");
      record.put("eventSourceARN", "arn:aws:sqs:" + REGION + ":123456789012:" + queue);
      record.put("awsRegion", REGION);
    }
    return event;
  }

  static byte[] bytes(ObjectNode event) {
    return event.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String eTag(String key) {
    return md5(key);
  }

  private static String md5(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has MD5", e);
    }
  }
}
