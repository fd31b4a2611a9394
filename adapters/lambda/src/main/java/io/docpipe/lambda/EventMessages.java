package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.docpipe.api.ApiProblemException;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.api.StrictJson;
import io.docpipe.core.model.DocumentId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The messages docpipe takes from a queue, one JSON object each:
 *
 * <ul>
 *   <li>an S3 event notification ({@code {"Records":[{"eventSource":"aws:s3",...}]}}), also when S3
 *       published it through SNS ({@code {"Type":"Notification","Message":"..."}}); the {@code
 *       s3:TestEvent} asks for nothing;
 *   <li>an ingest command: the body of {@code POST /v1/documents}, {@code {"documents":[{"id":"a",
 *       "uri":"s3://bucket/key"} | {"id":"b","text":"...","mediaType":"text/markdown"}]}};
 *   <li>a delete command: {@code {"delete":["a","b"]}}.
 * </ul>
 */
final class EventMessages {

  private final DocpipeHttpApi api;

  EventMessages(DocpipeHttpApi api) {
    this.api = api;
  }

  /** The work a message body asks for, or why it cannot be done. */
  Unit parse(String messageId, String body) {
    try {
      return Unit.of(messageId, items(StrictJson.readTree(body), body, true));
    } catch (IllegalArgumentException e) {
      return Unit.malformed(
          messageId, java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()));
    }
  }

  private List<WorkItem> items(JsonNode root, String body, boolean unwrapSns) {
    if (!root.isObject()) {
      throw new IllegalArgumentException("a message must be a JSON object");
    }
    if (S3Notifications.isTestEvent(root)) {
      return List.of();
    }
    if (root.has("Records")) {
      return S3Notifications.items(root);
    }
    if (unwrapSns
        && "Notification".equals(root.path("Type").asText())
        && root.path("Message").isTextual()) {
      String inner = root.path("Message").asText();
      return items(StrictJson.readTree(inner), inner, false);
    }
    if (root.has("documents")) {
      try {
        return api.parseIngest(body.getBytes(StandardCharsets.UTF_8)).requests().stream()
            .map(r -> (WorkItem) new WorkItem.Ingest(r))
            .toList();
      } catch (ApiProblemException e) {
        throw new IllegalArgumentException(e.problem().detail(), e);
      }
    }
    if (root.has("delete")) {
      return deletions(root);
    }
    throw new IllegalArgumentException(
        "unknown message: expected an S3 event notification, {\"documents\":[...]} or"
            + " {\"delete\":[...]}");
  }

  private static List<WorkItem> deletions(JsonNode root) {
    for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("delete")) {
        throw new IllegalArgumentException("unknown field '" + name + "' in a delete command");
      }
    }
    JsonNode ids = root.get("delete");
    if (!ids.isArray() || ids.isEmpty()) {
      throw new IllegalArgumentException("'delete' must be a non-empty array of document ids");
    }
    List<WorkItem> items = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      JsonNode id = ids.get(i);
      if (!id.isTextual()) {
        throw new IllegalArgumentException("delete[" + i + "] must be a string");
      }
      try {
        items.add(new WorkItem.Delete(DocumentId.of(id.asText())));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("delete[" + i + "]: " + e.getMessage(), e);
      }
    }
    return items;
  }
}
