package io.docpipe.kubernetes;

import io.docpipe.core.model.Checkpoint;
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
 * Every shard's checkpoint in one ConfigMap: key {@code shard-<i>-of-<n>} holds the checkpoint,
 * {@code shard-<i>-of-<n>.summary} a one-line summary for people ({@code kubectl get configmap -o
 * yaml}). Saves are read-modify-write with the ConfigMap's {@code resourceVersion}: the API server
 * refuses a write based on a stale version (409 Conflict), and the save re-reads and tries again,
 * so concurrent saves of different shards never lose one another.
 */
final class ConfigMapCheckpointStore implements CheckpointStore {

  private static final System.Logger LOG =
      System.getLogger(ConfigMapCheckpointStore.class.getName());
  private static final String SUMMARY_SUFFIX = ".summary";

  private final CoreV1Api api;
  private final String namespace;
  private final String name;
  private final JobRef owner;
  private final int maxAttempts;
  private final java.util.concurrent.atomic.AtomicLong conflicts =
      new java.util.concurrent.atomic.AtomicLong();

  ConfigMapCheckpointStore(
      ApiClient client, String namespace, String name, JobRef owner, int maxAttempts) {
    if (!KubernetesSettings.isObjectName(name)) {
      throw new IllegalArgumentException("not a valid ConfigMap name: '" + name + "'");
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

  @Override
  public Optional<Checkpoint> load(ShardSpec shard) {
    Optional<V1ConfigMap> map = read();
    String value = map.map(V1ConfigMap::getData).map(data -> data.get(keyOf(shard))).orElse(null);
    return value == null ? Optional.empty() : Optional.of(decode(shard, value));
  }

  @Override
  public void save(Checkpoint checkpoint) {
    String key = keyOf(checkpoint.shard());
    String value = CheckpointFormat.encode(checkpoint);
    String summary = summary(checkpoint);
    for (int attempt = 1; ; attempt++) {
      Optional<V1ConfigMap> current = read();
      try {
        if (current.isEmpty()) {
          api.createNamespacedConfigMap(namespace, newMap(key, value, summary)).execute();
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
          throw unavailable("saving", e);
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

  private Optional<V1ConfigMap> read() {
    try {
      return Optional.of(api.readNamespacedConfigMap(name, namespace).execute());
    } catch (ApiException e) {
      if (e.getCode() == 404) {
        return Optional.empty();
      }
      throw unavailable("reading", e);
    }
  }

  private UncheckedIOException unavailable(String what, ApiException e) {
    String status = e.getCode() == 0 ? e.getMessage() : "HTTP " + e.getCode();
    return new UncheckedIOException(
        new IOException(
            what + " checkpoint ConfigMap " + namespace + "/" + name + " failed: " + status, e));
  }

  private V1ConfigMap newMap(String key, String value, String summary) {
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
              + name
              + " is corrupt: "
              + e.getMessage(),
          e);
    }
  }
}
