package io.docpipe.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.ShardSpec;
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
}
