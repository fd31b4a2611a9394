package io.docpipe.gke;

import io.kubernetes.client.openapi.ApiException;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.util.Yaml;
import java.io.PrintWriter;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code submit}: creates the Indexed Job (or, with a schedule, the CronJob) for a corpus. */
@Command(
    name = "submit",
    description = "Create an Indexed Job (or a CronJob with --schedule) that indexes a corpus.")
final class SubmitCommand implements Callable<Integer> {

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--corpus",
      required = true,
      paramLabel = "URI",
      description = "The corpus as the pods see it: a directory or manifest path, or a file: URI.")
  String corpus = "";

  @Option(names = "--shards", required = true, description = "Shards = the Job's completions.")
  int shards;

  @Option(names = "--parallelism", required = true, description = "Pods running at once.")
  int parallelism;

  @Option(
      names = "--cpus",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "CPUs each pod requests; its model embeds on as many runs side by side"
              + " (DOCPIPE_ONNX_THREADS). Default: ${DEFAULT-VALUE}.")
  int cpus = 1;

  @Option(names = "--schedule", paramLabel = "CRON", description = "Create a CronJob instead.")
  @Nullable String schedule;

  @Option(names = "--dry-run", description = "Print the YAML instead of creating anything.")
  boolean dryRun;

  @Option(names = "--name", defaultValue = "docpipe-index", description = "Job name.")
  String name = "docpipe-index";

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default")
  String namespace = "default";

  @Option(
      names = "--image",
      defaultValue = "docpipe/docpipe-gke:0.1.0-SNAPSHOT",
      description = "Worker image.")
  String image = "docpipe/docpipe-gke:0.1.0-SNAPSHOT";

  @Option(
      names = "--corpus-claim",
      paramLabel = "PVC",
      description = "PersistentVolumeClaim with the corpus, mounted read-only at /corpus.")
  @Nullable String corpusClaim;

  @Option(names = "--service-account", defaultValue = "docpipe-worker")
  String serviceAccount = "docpipe-worker";

  @Option(
      names = "--backoff-limit-per-index",
      defaultValue = "3",
      description = "Retries of one shard (exit 75, evictions excluded).")
  int backoffLimitPerIndex = 3;

  @Option(
      names = "--max-failed-indexes",
      paramLabel = "N",
      description = "Failed shards before the Job fails (default: 10% of --shards).")
  @Nullable Integer maxFailedIndexes;

  @Option(names = "--settings-configmap", defaultValue = "docpipe-settings")
  String settingsConfigMap = "docpipe-settings";

  @Option(names = "--secret", defaultValue = "docpipe-secrets")
  String secret = "docpipe-secrets";

  @Option(
      names = "--grace-seconds",
      defaultValue = "30",
      description = "terminationGracePeriodSeconds.")
  int graceSeconds = 30;

  @Option(
      names = "--traceparent",
      paramLabel = "W3C",
      description =
          "Trace all pods of the Job as children of this W3C traceparent (default: a new trace;"
              + " not with --schedule).")
  @Nullable String traceparent;

  @Option(names = "--api-server", paramLabel = "URL", description = "Default: the kubeconfig.")
  @Nullable URI apiServer;

  JobSpecs.Request request() {
    return new JobSpecs.Request(
        name,
        namespace,
        image,
        corpus,
        Optional.ofNullable(corpusClaim),
        shards,
        parallelism,
        cpus,
        Optional.ofNullable(schedule),
        serviceAccount,
        backoffLimitPerIndex,
        maxFailedIndexes != null ? maxFailedIndexes : Math.max(1, shards / 10),
        settingsConfigMap,
        secret,
        graceSeconds,
        // One trace per Job; a CronJob's template is shared by every run, so it gets none.
        traceparent != null
            ? Optional.of(traceparent)
            : schedule != null
                ? Optional.empty()
                : Optional.of(JobSpecs.newTraceparent(new java.security.SecureRandom())));
  }

  @Override
  public Integer call() {
    PrintWriter out = java.util.Objects.requireNonNull(spec, "spec").commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JobSpecs.Request request = request();
    Object object =
        request.schedule().isPresent() ? JobSpecs.cronJob(request) : JobSpecs.job(request);
    if (dryRun) {
      out.print(Yaml.dump(object));
      out.flush();
      return 0;
    }
    BatchV1Api batch = new BatchV1Api(KubeApi.connect(apiServer));
    try {
      if (object instanceof V1CronJob cron) {
        batch.createNamespacedCronJob(namespace, cron).execute();
        out.println("cronjob.batch/" + name + " created (schedule " + schedule + ")");
      } else {
        batch.createNamespacedJob(namespace, (V1Job) object).execute();
        out.println(
            "job.batch/"
                + name
                + " created: "
                + shards
                + " shards, "
                + Math.min(parallelism, shards)
                + " at a time; trace "
                + request.traceparent().orElseThrow().split("-")[1]
                + "; follow it with `docpipe gke status "
                + name
                + " -n "
                + namespace
                + "`");
      }
      return 0;
    } catch (ApiException e) {
      err.println("docpipe gke submit: creating " + name + " failed: " + KubeApi.describe(e));
      return e.getCode() == 409 ? 1 : 2;
    }
  }
}
