package io.docpipe.qdrant;

import io.docpipe.core.model.Metadata;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Where a Qdrant collection is and how to talk to it. The API key never appears in {@link
 * #toString()}, so settings can be logged.
 *
 * @param host Qdrant host name or address
 * @param port Qdrant's gRPC port (6334 by default; the REST port 6333 does not speak gRPC)
 * @param useTls whether to connect with TLS (Qdrant Cloud needs it)
 * @param apiKey sent as the {@code api-key} header on every call; {@code null} for none
 * @param collection the collection docpipe writes and searches
 * @param upsertBatchSize points per upsert call (64 to 256)
 * @param maxConcurrentBatches upsert calls in flight at once, per store
 * @param timeout deadline of every call
 * @param maxAttempts attempts of a call that fails with UNAVAILABLE or DEADLINE_EXCEEDED
 * @param initialBackoff pause before the second attempt; doubled per attempt, with jitter
 * @param maxBackoff longest pause between attempts
 * @param indexedMetadata metadata keys that get a keyword payload index (for fast filters)
 */
public record QdrantSettings(
    String host,
    int port,
    boolean useTls,
    @Nullable String apiKey,
    String collection,
    int upsertBatchSize,
    int maxConcurrentBatches,
    Duration timeout,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    List<String> indexedMetadata) {

  public static final int DEFAULT_PORT = 6334;
  public static final int MIN_BATCH = 64;
  public static final int MAX_BATCH = 256;
  public static final int DEFAULT_BATCH = 128;

  public QdrantSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(collection, "collection");
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    indexedMetadata = List.copyOf(indexedMetadata);
    if (host.isBlank()) {
      throw new IllegalArgumentException("Qdrant host must not be blank");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("Qdrant port must be between 1 and 65535: " + port);
    }
    if (apiKey != null && apiKey.isBlank()) {
      throw new IllegalArgumentException("a Qdrant API key must not be blank");
    }
    if (!collection.matches("[A-Za-z0-9_-]{1,255}")) {
      throw new IllegalArgumentException(
          "Qdrant collection name must be 1 to 255 of A-Z a-z 0-9 _ -: " + collection);
    }
    if (upsertBatchSize < MIN_BATCH || upsertBatchSize > MAX_BATCH) {
      throw new IllegalArgumentException(
          "upsert batch size must be between "
              + MIN_BATCH
              + " and "
              + MAX_BATCH
              + ": "
              + upsertBatchSize);
    }
    if (maxConcurrentBatches < 1 || maxConcurrentBatches > 64) {
      throw new IllegalArgumentException(
          "concurrent upsert batches must be between 1 and 64: " + maxConcurrentBatches);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    if (maxAttempts < 1 || maxAttempts > 20) {
      throw new IllegalArgumentException("attempts must be between 1 and 20: " + maxAttempts);
    }
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff must satisfy 0 <= initial <= max: " + initialBackoff + ", " + maxBackoff);
    }
    indexedMetadata.forEach(Metadata::checkKey);
  }

  /**
   * A plain-text connection without an API key and the defaults: batches of {@value
   * #DEFAULT_BATCH}, 4 concurrent batches, 30 s timeout, 5 attempts backing off from 100 ms to 5 s.
   */
  public static QdrantSettings of(String host, int port, String collection) {
    return new QdrantSettings(
        host,
        port,
        false,
        null,
        collection,
        DEFAULT_BATCH,
        4,
        Duration.ofSeconds(30),
        5,
        Duration.ofMillis(100),
        Duration.ofSeconds(5),
        List.of());
  }

  public QdrantSettings withTls(boolean tls) {
    Draft draft = new Draft(this);
    draft.useTls = tls;
    return draft.settings();
  }

  public QdrantSettings withApiKey(@Nullable String key) {
    Draft draft = new Draft(this);
    draft.apiKey = key;
    return draft.settings();
  }

  public QdrantSettings withBatching(int batchSize, int concurrentBatches) {
    Draft draft = new Draft(this);
    draft.upsertBatchSize = batchSize;
    draft.maxConcurrentBatches = concurrentBatches;
    return draft.settings();
  }

  public QdrantSettings withTimeout(Duration callTimeout) {
    Draft draft = new Draft(this);
    draft.timeout = callTimeout;
    return draft.settings();
  }

  public QdrantSettings withRetries(int attempts, Duration initial, Duration max) {
    Draft draft = new Draft(this);
    draft.maxAttempts = attempts;
    draft.initialBackoff = initial;
    draft.maxBackoff = max;
    return draft.settings();
  }

  public QdrantSettings withIndexedMetadata(List<String> keys) {
    Draft draft = new Draft(this);
    draft.indexedMetadata = keys;
    return draft.settings();
  }

  @Override
  public String toString() {
    return "QdrantSettings[host="
        + host
        + ", port="
        + port
        + ", useTls="
        + useTls
        + ", apiKey="
        + (apiKey == null ? "none" : "****")
        + ", collection="
        + collection
        + ", upsertBatchSize="
        + upsertBatchSize
        + ", maxConcurrentBatches="
        + maxConcurrentBatches
        + ", timeout="
        + timeout
        + ", maxAttempts="
        + maxAttempts
        + ", initialBackoff="
        + initialBackoff
        + ", maxBackoff="
        + maxBackoff
        + ", indexedMetadata="
        + indexedMetadata
        + "]";
  }

  /** A copy of every setting, changed in a few places and checked again as a whole. */
  private static final class Draft {
    private final String host;
    private final int port;
    private boolean useTls;
    private @Nullable String apiKey;
    private final String collection;
    private int upsertBatchSize;
    private int maxConcurrentBatches;
    private Duration timeout;
    private int maxAttempts;
    private Duration initialBackoff;
    private Duration maxBackoff;
    private List<String> indexedMetadata;

    private Draft(QdrantSettings from) {
      host = from.host;
      port = from.port;
      useTls = from.useTls;
      apiKey = from.apiKey;
      collection = from.collection;
      upsertBatchSize = from.upsertBatchSize;
      maxConcurrentBatches = from.maxConcurrentBatches;
      timeout = from.timeout;
      maxAttempts = from.maxAttempts;
      initialBackoff = from.initialBackoff;
      maxBackoff = from.maxBackoff;
      indexedMetadata = from.indexedMetadata;
    }

    private QdrantSettings settings() {
      return new QdrantSettings(
          host,
          port,
          useTls,
          apiKey,
          collection,
          upsertBatchSize,
          maxConcurrentBatches,
          timeout,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          indexedMetadata);
    }
  }
}
