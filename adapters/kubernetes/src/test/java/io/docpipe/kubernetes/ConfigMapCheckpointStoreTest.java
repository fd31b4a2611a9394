package io.docpipe.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointFormat;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.harness.kubernetes.MockApiServer;
import io.docpipe.testkit.CheckpointStoreContract;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.util.ClientBuilder;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The ConfigMap store over real HTTP against the CRUD API stand-in. */
class ConfigMapCheckpointStoreTest extends CheckpointStoreContract {

  private static final AtomicInteger RUNS = new AtomicInteger();
  private final MockApiServer server = new MockApiServer();
  private String configMap = "run-0-checkpoints";

  @AfterEach
  void stopServer() {
    server.close();
  }

  private KubernetesCluster cluster() {
    return KubernetesCluster.connect(new KubernetesSettings(Optional.of(server.url()), "docpipe"));
  }

  private CoreV1Api api() {
    ApiClient client = new ClientBuilder().setBasePath(server.url().toString()).build();
    return new CoreV1Api(client);
  }

  @Override
  protected CheckpointStore newStore() {
    configMap = "run-" + RUNS.incrementAndGet() + "-checkpoints";
    return cluster().checkpointStore(configMap, JobRef.none());
  }

  @Override
  protected CheckpointStore reopen() {
    return cluster().checkpointStore(configMap, JobRef.none());
  }

  private static Checkpoint checkpoint(ShardSpec shard, int n) {
    return new Checkpoint(shard, DocumentId.of("doc-" + n), new ShardProgress(n, 0, 0), false);
  }

  @Test
  void theStandIn_refusesAWriteBasedOnAStaleResourceVersion() throws Exception {
    CheckpointStore store = newStore();
    store.save(checkpoint(new ShardSpec(0, 2), 1));
    V1ConfigMap stale = api().readNamespacedConfigMap(configMap, "docpipe").execute();
    store.save(checkpoint(new ShardSpec(1, 2), 1));
    stale.putDataItem("intruder", "x");
    assertThatThrownBy(
            () -> api().replaceNamespacedConfigMap(configMap, "docpipe", stale).execute())
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
  }

  @Test
  void concurrentWritersOfOneConfigMap_conflict_retry_andLoseNothing() throws Exception {
    newStore();
    // Two workers (separate clients, as two pods) writing four shards each into one ConfigMap.
    ConfigMapCheckpointStore podA =
        (ConfigMapCheckpointStore) cluster().checkpointStore(configMap, JobRef.none());
    ConfigMapCheckpointStore podB =
        (ConfigMapCheckpointStore) cluster().checkpointStore(configMap, JobRef.none());
    int shards = 8;
    int saves = 15;
    ExecutorService pool = Executors.newFixedThreadPool(shards);
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int s = 0; s < shards; s++) {
        ShardSpec shard = new ShardSpec(s, shards);
        ConfigMapCheckpointStore store = s % 2 == 0 ? podA : podB;
        futures.add(
            pool.submit(
                () -> {
                  for (int i = 1; i <= saves; i++) {
                    store.save(checkpoint(shard, i));
                  }
                }));
      }
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(podA.conflicts() + podB.conflicts())
        .as("stale writes refused and retried")
        .isPositive();
    V1ConfigMap map = api().readNamespacedConfigMap(configMap, "docpipe").execute();
    for (int s = 0; s < shards; s++) {
      ShardSpec shard = new ShardSpec(s, shards);
      assertThat(podA.load(shard)).contains(checkpoint(shard, saves));
      assertThat(map.getData().get("shard-" + s + "-of-8.summary"))
          .startsWith("indexed=" + saves + " unchanged=0 failed=0 complete=false");
    }
  }

  @Test
  void theConfigMapIsOwnedByTheJob_soItIsDeletedWithIt() throws Exception {
    CheckpointStore store =
        cluster()
            .checkpointStore("owned-checkpoints", new JobRef("index-docs", Optional.of("u-1")));
    store.save(Checkpoint.start(new ShardSpec(0, 1)));
    V1ConfigMap map = api().readNamespacedConfigMap("owned-checkpoints", "docpipe").execute();
    assertThat(map.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            o -> {
              assertThat(o.getKind()).isEqualTo("Job");
              assertThat(o.getName()).isEqualTo("index-docs");
              assertThat(o.getUid()).isEqualTo("u-1");
            });
  }

  @Test
  void anUnreachableApiServer_failsTheSaveClearly() {
    CheckpointStore store =
        KubernetesCluster.connect(
                new KubernetesSettings(Optional.of(URI.create("http://127.0.0.1:1")), "docpipe"))
            .checkpointStore("x", JobRef.none());
    assertThatThrownBy(() -> store.save(Checkpoint.start(new ShardSpec(0, 1))))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("docpipe/x");
  }

  @Test
  void aCorruptCheckpoint_isReportedWithItsLocation() throws Exception {
    CheckpointStore store = newStore();
    store.save(Checkpoint.start(new ShardSpec(0, 1)));
    V1ConfigMap map = api().readNamespacedConfigMap(configMap, "docpipe").execute();
    map.putDataItem("shard-0-of-1", "indexed=minus one\n");
    api().replaceNamespacedConfigMap(configMap, "docpipe", map).execute();
    assertThatThrownBy(() -> store.load(new ShardSpec(0, 1)))
        .hasMessageContaining("shard-0-of-1")
        .hasMessageContaining(configMap)
        .hasMessageContaining("corrupt");
  }

  @Test
  void worstCaseShardEntry_staysWithinTheBytesAConfigMapIsSizedFor() {
    String longestId = "界".repeat(DocumentId.MAX_LENGTH);
    ShardSpec shard = new ShardSpec(Integer.MAX_VALUE - 1, Integer.MAX_VALUE);
    Checkpoint worst =
        new Checkpoint(
            shard,
            DocumentId.of(longestId),
            new ShardProgress(Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE),
            false);
    String key = ConfigMapCheckpointStore.keyOf(shard);
    int bytes =
        utf8(key)
            + utf8(CheckpointFormat.encode(worst))
            + utf8(key + ".summary")
            + utf8(ConfigMapCheckpointStore.summary(worst));

    assertThat(bytes).isLessThanOrEqualTo(ConfigMapCheckpointStore.MAX_ENTRY_BYTES);
    assertThat(
            (long) ConfigMapCheckpointStore.SHARDS_PER_CONFIGMAP
                * ConfigMapCheckpointStore.MAX_ENTRY_BYTES)
        .isLessThan(ConfigMapCheckpointStore.CONFIGMAP_DATA_LIMIT / 8 * 7);
  }

  @Test
  void threeThousandShardsWithLongIds_spreadOverConfigMapsThatStayUnderTheLimit() throws Exception {
    int shards = 3_200;
    int perMap = ConfigMapCheckpointStore.SHARDS_PER_CONFIGMAP;
    String longId = "ü".repeat(500) + "/";
    // The first and last ConfigMaps full, every other one with one shard: all of them exist and
    // the full ones show the size (each save rewrites its whole ConfigMap, so saving all 3,200
    // through the stand-in would take minutes and prove no more).
    List<Integer> saved = new ArrayList<>();
    for (int i = 0; i < shards; i++) {
      if (i < perMap || i >= shards - perMap || i % perMap == perMap / 2) {
        saved.add(i);
      }
    }
    CheckpointStore store = newStore();
    for (int i : saved) {
      store.save(
          new Checkpoint(
              new ShardSpec(i, shards),
              DocumentId.of(longId + i),
              new ShardProgress(i, 1, 0),
              false));
    }

    CheckpointStore reopened = reopen();
    for (int i : saved) {
      assertThat(reopened.load(new ShardSpec(i, shards)).orElseThrow().lastCompleted())
          .isEqualTo(DocumentId.of(longId + i));
    }
    int maps = ConfigMapCheckpointStore.configMapCount(shards);
    assertThat(maps).isEqualTo(32);
    int entries = 0;
    long fullest = 0;
    for (int part = 0; part < maps; part++) {
      V1ConfigMap map = api().readNamespacedConfigMap(configMap + "-" + part, "docpipe").execute();
      long bytes = 0;
      for (var e : map.getData().entrySet()) {
        bytes += utf8(e.getKey()) + utf8(e.getValue());
      }
      fullest = Math.max(fullest, bytes);
      entries += map.getData().size();
    }
    assertThat(entries).isEqualTo(2 * saved.size());
    // A full ConfigMap of 1,000-byte ids: 100 shards, under the limit with room to spare...
    assertThat(fullest).isBetween(100_000L, ConfigMapCheckpointStore.CONFIGMAP_DATA_LIMIT / 2L);
    // ...where all 3,200 in one ConfigMap would not have fitted.
    assertThat(fullest * shards / perMap)
        .isGreaterThan(ConfigMapCheckpointStore.CONFIGMAP_DATA_LIMIT);
  }

  @Test
  void aRunOfAtMostOneConfigMapsWorth_keepsTheSingleConfigMapName() throws Exception {
    CheckpointStore store = newStore();
    int shards = ConfigMapCheckpointStore.SHARDS_PER_CONFIGMAP;
    store.save(checkpoint(new ShardSpec(shards - 1, shards), 7));

    V1ConfigMap map = api().readNamespacedConfigMap(configMap, "docpipe").execute();

    assertThat(map.getData()).containsKey("shard-" + (shards - 1) + "-of-" + shards);
  }

  private static int utf8(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
  }
}
