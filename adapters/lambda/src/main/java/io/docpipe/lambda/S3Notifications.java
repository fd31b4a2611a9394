package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.port.in.IngestRequest;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads S3 event notification records: {@code ObjectCreated:*}, {@code ObjectRemoved:*} and {@code
 * LifecycleExpiration:Delete*} each become an ingestion of {@code s3://bucket/key} as the bucket
 * has it when the event is applied, which deletes the document when the object is gone; other event
 * types ask for nothing. An event says which key changed, the bucket says what it is now, so events
 * delivered in any order leave the index as the bucket is (ADR 0017). The document id is the object
 * key, URL-decoded as S3 encodes it in events ({@code +} for a space, {@code %XX} for UTF-8 bytes).
 */
final class S3Notifications {

  /** Metadata key holding the bucket an object came from. */
  static final String BUCKET_KEY = "bucket";

  private static final System.Logger LOG = System.getLogger(S3Notifications.class.getName());

  private S3Notifications() {}

  /** Whether {@code root} looks like an S3 notification ({@code Records} from {@code aws:s3}). */
  static boolean isNotification(JsonNode root) {
    JsonNode records = root.path("Records");
    return records.isArray()
        && !records.isEmpty()
        && "aws:s3".equals(records.get(0).path("eventSource").asText());
  }

  /** Whether {@code root} is the {@code s3:TestEvent} S3 sends when notifications are set up. */
  static boolean isTestEvent(JsonNode root) {
    return "s3:TestEvent".equals(root.path("Event").asText());
  }

  /**
   * The work one record asks for: one item, or {@code null} for event types docpipe does not act
   * on.
   *
   * @throws IllegalArgumentException naming what is missing or wrong in the record
   */
  static @Nullable WorkItem item(JsonNode record) {
    if (!record.isObject()) {
      throw new IllegalArgumentException("an S3 record must be an object");
    }
    String source = record.path("eventSource").asText("");
    if (!source.equals("aws:s3")) {
      throw new IllegalArgumentException("eventSource is '" + source + "', not aws:s3");
    }
    String eventName = text(record, "eventName");
    JsonNode s3 = record.path("s3");
    String bucket = text(s3.path("bucket"), "name");
    String rawKey = text(s3.path("object"), "key");
    String key = decodeKey(rawKey);
    DocumentId id;
    try {
      id = DocumentId.of(key);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "key '" + rawKey + "' cannot be a document id: " + e.getMessage(), e);
    }
    if (eventName.startsWith("ObjectCreated:")) {
      JsonNode size = s3.path("object").path("size");
      Long sizeHint = size.canConvertToLong() && size.asLong() >= 0 ? size.asLong() : null;
      // An object gone by now was removed after this PUT; its removal event may come first. One
      // removed while this invocation writes it is caught by the recheck after the write (ADR
      // 0027): another invocation may have applied the removal already.
      return new WorkItem.Ingest(
          new IngestRequest.Fetch(
              new DocumentRef(id, uri(bucket, key), Map.of(BUCKET_KEY, bucket), sizeHint), true),
          true);
    }
    if (eventName.startsWith("ObjectRemoved:")
        || eventName.startsWith("LifecycleExpiration:Delete")) {
      // Not a blind delete: S3 delivers events out of order, so the removal of a version may
      // arrive after a later PUT of the same key. The bucket as it is now decides (ADR 0017).
      return new WorkItem.Ingest(
          new IngestRequest.Fetch(
              new DocumentRef(id, uri(bucket, key), Map.of(BUCKET_KEY, bucket), null), true),
          true);
    }
    LOG.log(System.Logger.Level.INFO, "ignoring S3 event {0} for {1}", eventName, key);
    return null;
  }

  /** All items of a notification; any bad record makes the whole notification bad. */
  static List<WorkItem> items(JsonNode root) {
    JsonNode records = root.path("Records");
    if (!records.isArray()) {
      throw new IllegalArgumentException("'Records' must be an array");
    }
    List<WorkItem> items = new ArrayList<>();
    for (int i = 0; i < records.size(); i++) {
      try {
        WorkItem item = item(records.get(i));
        if (item != null) {
          items.add(item);
        }
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Records[" + i + "]: " + e.getMessage(), e);
      }
    }
    return items;
  }

  /**
   * An object key as S3 writes it in event notifications, decoded: {@code +} is a space and {@code
   * %XX} sequences are UTF-8 bytes ({@code %2B} is a literal {@code +}).
   *
   * @throws IllegalArgumentException for a broken {@code %} sequence
   */
  static String decodeKey(String raw) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("key '" + raw + "' is not URL-encoded correctly", e);
    }
  }

  /**
   * {@code s3://bucket/key}: the key, decoded once from the event, becomes the URI's path as the
   * JDK quotes it, the same form the S3 adapter writes and reads back with {@link URI#getPath()}.
   */
  static URI uri(String bucket, String key) {
    try {
      return new URI("s3", bucket, "/" + key, null);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("bucket '" + bucket + "' cannot be part of a URI", e);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.path(field);
    if (!value.isTextual() || value.asText().isEmpty()) {
      throw new IllegalArgumentException("'" + field + "' is missing or not a string");
    }
    return value.asText();
  }
}
