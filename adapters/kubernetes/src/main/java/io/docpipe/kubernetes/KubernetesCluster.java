package io.docpipe.kubernetes;

import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointStore;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * A connection to one namespace of a Kubernetes cluster, and the docpipe ports served from it.
 * Cheap to keep for the life of a worker; it holds one HTTP client.
 */
public final class KubernetesCluster {

  private final ApiClient client;
  private final String namespace;

  private KubernetesCluster(ApiClient client, String namespace) {
    this.client = client;
    this.namespace = namespace;
  }

  /**
   * Connects as configured: the given API server, else the pod's service account when running in a
   * cluster, else the kubeconfig ({@code $KUBECONFIG} or {@code ~/.kube/config}). Nothing is sent
   * yet.
   */
  public static KubernetesCluster connect(KubernetesSettings settings) {
    Objects.requireNonNull(settings, "settings");
    ApiClient client;
    try {
      if (settings.apiServer().isPresent()) {
        client = new ClientBuilder().setBasePath(settings.apiServer().get().toString()).build();
      } else if (Files.isReadable(Path.of(Config.SERVICEACCOUNT_TOKEN_PATH))) {
        client = ClientBuilder.cluster().build();
      } else {
        client = ClientBuilder.standard().build();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot configure the Kubernetes client: " + e, e);
    }
    // A checkpoint write is small; a stuck API server must not hold a worker past its grace period.
    client.setConnectTimeout(10_000);
    client.setReadTimeout(20_000);
    client.setWriteTimeout(20_000);
    return new KubernetesCluster(client, settings.namespace());
  }

  /**
   * Checkpoints of every shard of one run in the ConfigMap {@code configMap} (created on the first
   * save; owned by {@code owner} when given, so that deleting the Job deletes it).
   */
  public CheckpointStore checkpointStore(String configMap, JobRef owner) {
    return new ConfigMapCheckpointStore(client, namespace, configMap, owner, 30);
  }

  /**
   * Progress of one shard posted as Events on its Job: throttled progress, the first failed
   * documents, and how the shard ended.
   */
  public JobEvents jobEvents(JobRef job, ShardSpec shard) {
    return new KubernetesJobEvents(
        client, namespace, job, shard, Clock.systemUTC(), Duration.ofSeconds(30), 10);
  }

  @Override
  public String toString() {
    return "KubernetesCluster[" + client.getBasePath() + ", namespace " + namespace + "]";
  }
}
