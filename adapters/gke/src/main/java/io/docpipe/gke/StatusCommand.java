package io.docpipe.gke;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.wiring.DocpipeConfig;
import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobCondition;
import io.kubernetes.client.openapi.models.V1JobStatus;
import java.io.PrintWriter;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code status <job>}: the Job's status and each shard's progress from its checkpoint. */
@Command(name = "status", description = "Show a Job's status and per-shard progress.")
final class StatusCommand implements Callable<Integer> {

  @Spec @Nullable CommandSpec spec;

  @Parameters(index = "0", paramLabel = "JOB")
  String job = "";

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default")
  String namespace = "default";

  @Option(names = "--api-server", paramLabel = "URL", description = "Default: the kubeconfig.")
  @Nullable URI apiServer;

  @Override
  public Integer call() {
    PrintWriter out = java.util.Objects.requireNonNull(spec, "spec").commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    V1Job read;
    try {
      read = new BatchV1Api(KubeApi.connect(apiServer)).readNamespacedJob(job, namespace).execute();
    } catch (ApiException e) {
      err.println(
          "docpipe gke status: reading job "
              + namespace
              + "/"
              + job
              + " failed: "
              + KubeApi.describe(e));
      return e.getCode() == 404 ? 1 : 2;
    }
    int shards =
        read.getSpec() == null || read.getSpec().getCompletions() == null
            ? 1
            : read.getSpec().getCompletions();
    V1JobStatus s = read.getStatus() == null ? new V1JobStatus() : read.getStatus();
    out.printf(
        "job %s/%s: %d shards; %d succeeded, %d failed, %d active%n",
        namespace, job, shards, n(s.getSucceeded()), n(s.getFailed()), n(s.getActive()));
    out.printf(
        "completed indexes: %s; failed indexes: %s%n",
        orNone(s.getCompletedIndexes()), orNone(s.getFailedIndexes()));
    if (s.getConditions() != null) {
      for (V1JobCondition c : s.getConditions()) {
        if ("True".equals(c.getStatus())) {
          out.printf(
              "condition %s: %s %s%n", c.getType(), orNone(c.getReason()), orNone(c.getMessage()));
        }
      }
    }
    CheckpointStore checkpoints = checkpoints();
    long indexed = 0;
    long unchanged = 0;
    long failed = 0;
    for (int i = 0; i < shards; i++) {
      ShardSpec shard = new ShardSpec(i, shards);
      Optional<Checkpoint> c;
      try {
        c = checkpoints.load(shard);
      } catch (RuntimeException e) {
        err.println("docpipe gke status: reading checkpoints failed: " + e.getMessage());
        return 2;
      }
      if (c.isEmpty()) {
        out.printf("shard %d: not started%n", i);
        continue;
      }
      Checkpoint cp = c.get();
      indexed += cp.progress().indexed();
      unchanged += cp.progress().unchanged();
      failed += cp.progress().failed();
      out.printf(
          "shard %d: %s, %d indexed, %d unchanged, %d failed, last %s%n",
          i,
          cp.complete() ? "complete" : "in progress",
          cp.progress().indexed(),
          cp.progress().unchanged(),
          cp.progress().failed(),
          cp.lastCompleted() == null ? "-" : cp.lastCompleted().value());
    }
    out.printf("total: %d indexed, %d unchanged, %d failed%n", indexed, unchanged, failed);
    out.flush();
    return 0;
  }

  /** The Job's checkpoint store, chosen by the wiring like the workers' own. */
  private CheckpointStore checkpoints() {
    Map<String, String> env = new HashMap<>();
    env.put("DOCPIPE_CHECKPOINT_STORE", "configmap");
    env.put("DOCPIPE_K8S_NAMESPACE", namespace);
    env.put("DOCPIPE_CHECKPOINT_CONFIGMAP", job + "-checkpoints");
    if (apiServer != null) {
      env.put("DOCPIPE_K8S_API_URL", apiServer.toString());
    }
    // Only the checkpoint store is taken from this graph: no index or model is opened.
    return GkeComponent.create(
            DocpipeConfig.fromEnvironment(env), ShardSpec.whole(), OutcomeLog.NONE)
        .checkpoints();
  }

  private static int n(@Nullable Integer value) {
    return value == null ? 0 : value;
  }

  private static String orNone(@Nullable String value) {
    return value == null || value.isEmpty() ? "-" : value;
  }
}
