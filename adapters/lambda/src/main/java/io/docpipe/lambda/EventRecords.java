package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.docpipe.api.StrictJson;

/** The {@code Records} array that S3 notifications and SQS batches carry. */
final class EventRecords {

  private EventRecords() {}

  /**
   * The records of {@code event}, parsed once.
   *
   * @param kind what the event must be, for the message ({@code "an S3 event"})
   * @throws IllegalArgumentException when the event is not JSON or has no {@code Records} array
   */
  static JsonNode of(byte[] event, String kind) {
    JsonNode records = StrictJson.readTree(event).path("Records");
    if (!records.isArray()) {
      throw new IllegalArgumentException("not " + kind + ": 'Records' must be an array");
    }
    return records;
  }
}
