package io.docpipe.kubernetes;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointFormat;
import io.docpipe.core.port.out.CheckpointStore;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1OwnerReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Shard checkpoints in ConfigMaps sized by design: key {@code shard-<i>-of-<n>} holds the
 * checkpoint, {@code shard-<i>-of-<n>.summary} a one-line summary for people ({@code kubectl get
 * configmap -o yaml}). A run of at most {@link #SHARDS_PER_CONFIGMAP} shards keeps them all in the
 * ConfigMap {@code name}; a larger run splits them by shard index over {@code name-0}, {@code
 * name-1}, … ({@link #configMapOf}), each holding {@link #SHARDS_PER_CONFIGMAP} shards at most, so
 * that even with the longest document ids a ConfigMap stays under the API server's 1 MiB limit on
 * its data ({@link #MAX_ENTRY_BYTES} per shard). Saves are read-modify-write with the ConfigMap's
 * {@code resourceVersion}: the API server refuses a write based on a stale version (409 Conflict),
 * and the save re-reads and tries again, so concurrent saves of different shards never lose one
 * another.
 */
final class ConfigMapCheckpointStore implements CheckpointStore {

  private static final System.Logger LOG =
      System.getLogger(ConfigMapCheckpointStore.class.getName());
  private static final String SUMMARY_SUFFIX = ".summary";

  /** The API server refuses a ConfigMap whose keys and values add up to more bytes than this. */
  static final int CONFIGMAP_DATA_LIMIT = 1024 * 1024;

  /**
   * The most bytes one shard can add to a ConfigMap's data (keys and values, UTF-8): its two keys
   * at the longest shard numbers, the checkpoint with a {@link DocumentId#MAX_LENGTH}-char id whose
   * every char takes 3 bytes (a BMP char outside ASCII; an escaped ASCII char takes 2, a surrogate
   * pair 4 for two chars) and the largest counters, and the summary. {@code
   * ConfigMapCheckpointStoreTest} encodes such a worst case and checks it stays within.
   */
  static final int MAX_ENTRY_BYTES =
      2 * "shard-2147483647-of-2147483647".length()
          + SUMMARY_SUFFIX.length()
          + "lastCompleted=\n".length()
          + 3 * DocumentId.MAX_LENGTH
          + 3 * ("unchanged=\n".length() + 19)
          + "complete=false\n".length()
          + 256; // the summary: three counters, a flag and a timestamp

  /**
   * Shards per ConfigMap: 100 worst-case entries take about a third of the limit. Fewer than fit,
   * because every save rewrites its whole ConfigMap: a smaller one costs the API server less per
   * save and collides with fewer other shards' saves.
   */
  static final int SHARDS_PER_CONFIGMAP = 100;

  /** Longest suffix a part's name gets ({@code -} and a shard-count-sized number). */
  private static final int MAX_PART_SUFFIX = "-2147483647".length();

  private final CoreV1Api api;
  private final String namespace;
  private final String name;
  private final JobRef owner;
  private final int maxAttempts;
  private final java.util.concurrent.atomic.AtomicLong conflicts =
      new java.util.concurrent.atomic.AtomicLong();

  ConfigMapCheckpointStore(
      ApiClient client, String namespace, String name, JobRef owner, int maxAttempts) {
    if (!KubernetesSettings.isObjectName(name)
        || !KubernetesSettings.isObjectName(name + "-0")
        || name.length() + MAX_PART_SUFFIX > 253) {
      throw new IllegalArgumentException(
          "not a valid ConfigMap name, or too long to number its parts: '" + name + "'");
    }
    this.api = new CoreV1Api(client);
    this.namespace = namespace;
    this.name = name;
    this.owner = owner;
    this.maxAttempts = maxAttempts;
  }

  /** How many writes the API server refused as stale so far (each was retried). */
  long conflicts() {
    return conflicts.get();
  }

  static String keyOf(ShardSpec shard) {
    return CheckpointFormat.keyOf(shard);
  }

  /** The ConfigMap holding {@code shard}'s checkpoint: {@code base} or its numbered part. */
  static String configMapOf(String base, ShardSpec shard) {
    return shard.count() <= SHARDS_PER_CONFIGMAP
        ? base
        : base + "-" + shard.index() / SHARDS_PER_CONFIGMAP;
  }

  /** How many ConfigMaps a run of {@code shards} shards keeps its checkpoints in. */
  static int configMapCount(int shards) {
    return shards <= SHARDS_PER_CONFIGMAP
        ? 1
        : (shards + SHARDS_PER_CONFIGMAP - 1) / SHARDS_PER_CONFIGMAP;
  }

  @Override
  public Optional<Checkpoint> load(ShardSpec shard) {
    String name = configMapOf(this.name, shard);
    Optional<V1ConfigMap> map = read(name);
    String value = map.map(V1ConfigMap::getData).map(data -> data.get(keyOf(shard))).orElse(null);
    return value == null ? Optional.empty() : Optional.of(decode(shard, value));
  }

  @Override
  public void save(Checkpoint checkpoint) {
    String name = configMapOf(this.name, checkpoint.shard());
    String key = keyOf(checkpoint.shard());
    String value = CheckpointFormat.encode(checkpoint);
    String summary = summary(checkpoint);
    for (int attempt = 1; ; attempt++) {
      Optional<V1ConfigMap> current = read(name);
      try {
        if (current.isEmpty()) {
          api.createNamespacedConfigMap(namespace, newMap(name, key, value, summary)).execute();
        } else {
          V1ConfigMap map = current.get();
          Map<String, String> data =
              new HashMap<>(map.getData() == null ? Map.of() : map.getData());
          data.put(key, value);
          data.put(key + SUMMARY_SUFFIX, summary);
          // The read resourceVersion stays in the metadata: the write succeeds only over it.
          map.setData(data);
          api.replaceNamespacedConfigMap(name, namespace, map).execute();
        }
        return;
      } catch (ApiException e) {
        // 409: another shard wrote (or created) the map since we read it.
        if (e.getCode() != 409) {
          throw unavailable("saving", name, e);
        }
        conflicts.incrementAndGet();
        if (attempt >= maxAttempts) {
          throw new IllegalStateException(
              "ConfigMap "
                  + namespace
                  + "/"
                  + name
                  + " changed under "
                  + maxAttempts
                  + " attempts in a row to save "
                  + key
                  + "; giving up");
        }
        LOG.log(System.Logger.Level.DEBUG, "conflict saving {0}, attempt {1}", key, attempt);
        // Full-jitter exponential backoff (10 ms .. 1 s), so writers that collided spread out.
        long capMillis = Math.min(1000L, 10L << Math.min(attempt, 7));
        LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(1, capMillis) * 1_000_000L);
      }
    }
  }

  private Optional<V1ConfigMap> read(String name) {
    try {
      return Optional.of(api.readNamespacedConfigMap(name, namespace).execute());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw unavailable("reading", name, e);
    }
  }

  private UncheckedIOException unavailable(String what, String name, ApiException e) {
    String status = e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode();
    return new UncheckedIOException(
        new IOException(
            what + " checkpoint ConfigMap " + namespace + "/" + name + " failed: " + status, e));
  }

  private V1ConfigMap newMap(String name, String key, String value, String summary) {
    V1ObjectMeta meta =
        new V1ObjectMeta()
            .name(name)
            .namespace(namespace)
            .putLabelsItem("app.kubernetes.io/name", "docpipe")
            .putLabelsItem("app.kubernetes.io/component", "checkpoints");
    owner
        .uid()
        .ifPresent(
            uid ->
                meta.ownerReferences(
                    List.of(
                        new V1OwnerReference()
                            .apiVersion("batch/v1")
                            .kind("Job")
                            .name(owner.name())
                            .uid(uid))));
    Map<String, String> data = new HashMap<>();
    data.put(key, value);
    data.put(key + SUMMARY_SUFFIX, summary);
    return new V1ConfigMap().apiVersion("v1").kind("ConfigMap").metadata(meta).data(data);
  }

  static String summary(Checkpoint c) {
    ShardProgress p = c.progress();
    return "indexed="
        + p.indexed()
        + " unchanged="
        + p.unchanged()
        + " failed="
        + p.failed()
        + " complete="
        + c.complete()
        + " updated="
        + Instant.now();
  }

  private Checkpoint decode(ShardSpec shard, String value) {
    try {
      return CheckpointFormat.decode(shard, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "checkpoint "
              + keyOf(shard)
              + " in ConfigMap "
              + namespace
              + "/"
              + configMapOf(name, shard)
              + " is corrupt: "
              + e.getMessage(),
          e);
    }
  }
}
