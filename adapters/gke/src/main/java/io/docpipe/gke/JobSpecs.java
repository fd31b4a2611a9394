package io.docpipe.gke;

import io.docpipe.wiring.DocpipeConfig;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1Capabilities;
import io.kubernetes.client.openapi.models.V1ConfigMapEnvSource;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1CronJobSpec;
import io.kubernetes.client.openapi.models.V1EmptyDirVolumeSource;
import io.kubernetes.client.openapi.models.V1EnvFromSource;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1EnvVarSource;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1JobTemplateSpec;
import io.kubernetes.client.openapi.models.V1KeyToPath;
import io.kubernetes.client.openapi.models.V1ObjectFieldSelector;
import io.kubernetes.client.openapi.models.V1ObjectMeta;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaimVolumeSource;
import io.kubernetes.client.openapi.models.V1PodFailurePolicy;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnExitCodesRequirement;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyOnPodConditionsPattern;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1PodSecurityContext;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.openapi.models.V1PodTemplateSpec;
import io.kubernetes.client.openapi.models.V1ProjectedVolumeSource;
import io.kubernetes.client.openapi.models.V1ResourceFieldSelector;
import io.kubernetes.client.openapi.models.V1ResourceRequirements;
import io.kubernetes.client.openapi.models.V1SeccompProfile;
import io.kubernetes.client.openapi.models.V1SecretProjection;
import io.kubernetes.client.openapi.models.V1SecurityContext;
import io.kubernetes.client.openapi.models.V1Volume;
import io.kubernetes.client.openapi.models.V1VolumeMount;
import io.kubernetes.client.openapi.models.V1VolumeProjection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The Indexed Job (or CronJob) that indexes a corpus in {@code shards} pods, in the client's typed
 * model: one pod per shard index, retried per index, with a {@code podFailurePolicy} that ignores
 * disruptions (drain, preemption) and acts on the worker's exit codes.
 */
final class JobSpecs {

  static final String CONTAINER = "worker";
  static final String CORPUS_MOUNT = "/corpus";

  /** The most CPUs a pod may request: the bound of the {@code DOCPIPE_ONNX_THREADS} it sets. */
  static final int MAX_CPUS = DocpipeConfig.MAX_ONNX_THREADS;

  static final Map<String, String> LABELS =
      Map.of(
          "app.kubernetes.io/name",
          "docpipe",
          "app.kubernetes.io/part-of",
          "docpipe",
          "app.kubernetes.io/component",
          "indexer");

  /**
   * The Secret Qdrant itself reads its API key from ({@code deploy/k8s/qdrant}); the workers send
   * the same key. Optional: a Qdrant without a key (or Qdrant Cloud's key in the settings Secret).
   */
  static final String QDRANT_KEY_SECRET = "qdrant-api-key";

  /**
   * Where the worker reads its keys, a file per setting ({@code DOCPIPE_SECRETS_DIR}): the Secrets
   * mounted as one projected volume, which the kubelet updates after a rotation (ADR 0025).
   */
  static final String SECRETS_MOUNT = "/var/run/secrets/docpipe";

  /**
   * The pod-template annotation that carries the run's W3C traceparent; the downward API hands it
   * to every pod as {@code TRACEPARENT}, so all shards of one Job are one trace.
   */
  static final String TRACEPARENT_ANNOTATION = "docpipe.io/traceparent";

  private static final java.util.regex.Pattern TRACEPARENT =
      java.util.regex.Pattern.compile("00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-[0-9a-f]{2}");

  /**
   * What to submit.
   *
   * @param name the Job's (or CronJob's) name
   * @param corpus the corpus path as the pod sees it ({@code /corpus/...} with a claim)
   * @param corpusClaim a PersistentVolumeClaim mounted read-only at {@value #CORPUS_MOUNT}
   * @param cpus the CPUs each pod requests, and the model's runs side by side in it
   * @param schedule a cron schedule: a CronJob instead of a Job
   * @param traceparent the W3C traceparent every pod of the Job continues; none for a CronJob,
   *     whose pod template is shared by all its runs (one trace per run cannot be set there)
   */
  record Request(
      String name,
      String namespace,
      String image,
      String corpus,
      Optional<String> corpusClaim,
      int shards,
      int parallelism,
      int cpus,
      Optional<String> schedule,
      String serviceAccount,
      int backoffLimitPerIndex,
      int maxFailedIndexes,
      String settingsConfigMap,
      String secret,
      int graceSeconds,
      Optional<String> traceparent) {
    Request {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(traceparent, "traceparent");
      if (traceparent.isPresent() && schedule.isPresent()) {
        throw new IllegalArgumentException(
            "--traceparent applies to one Job; a CronJob's runs would all share it");
      }
      if (traceparent.isPresent() && !TRACEPARENT.matcher(traceparent.get()).matches()) {
        throw new IllegalArgumentException(
            "--traceparent must be a W3C traceparent (00-<32 hex>-<16 hex>-<2 hex>), got "
                + traceparent.get());
      }
      if (shards < 1 || parallelism < 1) {
        throw new IllegalArgumentException("--shards and --parallelism must be at least 1");
      }
      if (cpus < 1 || cpus > MAX_CPUS) {
        throw new IllegalArgumentException(
            "--cpus must be a whole number from 1 to " + MAX_CPUS + ", got " + cpus);
      }
      if (graceSeconds < 2) {
        throw new IllegalArgumentException("the grace period must be at least 2 seconds");
      }
    }
  }

  private JobSpecs() {}

  /** A new W3C traceparent: a random trace id and parent id, sampled. */
  static String newTraceparent(java.util.random.RandomGenerator random) {
    long high;
    long low;
    long parent;
    do {
      high = random.nextLong();
      low = random.nextLong();
      parent = random.nextLong();
    } while ((high == 0 && low == 0) || parent == 0);
    return "00-%016x%016x-%016x-01".formatted(high, low, parent);
  }

  /** A fresh copy each time, so the YAML dump repeats the labels instead of aliasing them. */
  private static Map<String, String> labels() {
    return new java.util.LinkedHashMap<>(LABELS);
  }

  static V1Job job(Request r) {
    return new V1Job()
        .apiVersion("batch/v1")
        .kind("Job")
        .metadata(new V1ObjectMeta().name(r.name()).namespace(r.namespace()).labels(labels()))
        .spec(jobSpec(r));
  }

  static V1CronJob cronJob(Request r) {
    return new V1CronJob()
        .apiVersion("batch/v1")
        .kind("CronJob")
        .metadata(new V1ObjectMeta().name(r.name()).namespace(r.namespace()).labels(labels()))
        .spec(
            new V1CronJobSpec()
                .schedule(r.schedule().orElseThrow())
                // A run still going when the next is due keeps going; the next one is skipped.
                .concurrencyPolicy("Forbid")
                .startingDeadlineSeconds(3600L)
                .successfulJobsHistoryLimit(3)
                .failedJobsHistoryLimit(3)
                .jobTemplate(
                    new V1JobTemplateSpec()
                        .metadata(new V1ObjectMeta().labels(labels()))
                        .spec(jobSpec(r))));
  }

  static V1JobSpec jobSpec(Request r) {
    return new V1JobSpec()
        .completionMode("Indexed")
        .completions(r.shards())
        .parallelism(Math.min(r.parallelism(), r.shards()))
        .backoffLimitPerIndex(r.backoffLimitPerIndex())
        .maxFailedIndexes(r.maxFailedIndexes())
        // Replace a pod only once it has stopped: never two workers on one shard at a time.
        .podReplacementPolicy("Failed")
        .ttlSecondsAfterFinished(7 * 24 * 3600)
        .podFailurePolicy(
            new V1PodFailurePolicy()
                .rules(
                    List.of(
                        new V1PodFailurePolicyRule()
                            .action("Ignore")
                            .onPodConditions(
                                List.of(
                                    new V1PodFailurePolicyOnPodConditionsPattern()
                                        .type("DisruptionTarget")
                                        .status("True"))),
                        exitCodes("FailJob", ExitCode.CONFIGURATION),
                        exitCodes("FailIndex", ExitCode.SHARD_FAILED),
                        exitCodes("Count", ExitCode.RETRY))))
        .template(podTemplate(r));
  }

  private static V1PodFailurePolicyRule exitCodes(String action, ExitCode code) {
    return new V1PodFailurePolicyRule()
        .action(action)
        .onExitCodes(
            new V1PodFailurePolicyOnExitCodesRequirement()
                .containerName(CONTAINER)
                .operator("In")
                .values(List.of(code.code)));
  }

  private static V1PodTemplateSpec podTemplate(Request r) {
    List<V1Volume> volumes = new ArrayList<>();
    List<V1VolumeMount> mounts = new ArrayList<>();
    volumes.add(
        new V1Volume()
            .name("docpipe-secrets")
            .projected(
                new V1ProjectedVolumeSource()
                    .sources(
                        List.of(
                            new V1VolumeProjection()
                                .secret(
                                    new V1SecretProjection()
                                        .name(QDRANT_KEY_SECRET)
                                        .optional(true)
                                        .items(
                                            List.of(
                                                new V1KeyToPath()
                                                    .key("api-key")
                                                    .path("DOCPIPE_QDRANT_API_KEY")))),
                            new V1VolumeProjection()
                                .secret(
                                    new V1SecretProjection().name(r.secret()).optional(true))))));
    mounts.add(new V1VolumeMount().name("docpipe-secrets").mountPath(SECRETS_MOUNT).readOnly(true));
    volumes.add(new V1Volume().name("tmp").emptyDir(new V1EmptyDirVolumeSource()));
    mounts.add(new V1VolumeMount().name("tmp").mountPath("/tmp"));
    r.corpusClaim()
        .ifPresent(
            claim -> {
              volumes.add(
                  new V1Volume()
                      .name("corpus")
                      .persistentVolumeClaim(
                          new V1PersistentVolumeClaimVolumeSource()
                              .claimName(claim)
                              .readOnly(true)));
              mounts.add(new V1VolumeMount().name("corpus").mountPath(CORPUS_MOUNT).readOnly(true));
            });
    V1Container worker =
        new V1Container()
            .name(CONTAINER)
            .image(r.image())
            .args(List.of("worker"))
            .env(env(r))
            .envFrom(
                List.of(
                    new V1EnvFromSource()
                        .configMapRef(
                            new V1ConfigMapEnvSource().name(r.settingsConfigMap()).optional(true))))
            .resources(
                new V1ResourceRequirements()
                    .requests(
                        Map.of(
                            "cpu",
                            new Quantity(Integer.toString(r.cpus())),
                            "memory",
                            new Quantity("1Gi")))
                    .limits(Map.of("memory", new Quantity("2Gi"))))
            .securityContext(
                new V1SecurityContext()
                    .allowPrivilegeEscalation(false)
                    .readOnlyRootFilesystem(true)
                    .runAsNonRoot(true)
                    .capabilities(new V1Capabilities().drop(List.of("ALL"))))
            .volumeMounts(mounts);
    V1ObjectMeta podMeta = new V1ObjectMeta().labels(labels());
    r.traceparent().ifPresent(t -> podMeta.putAnnotationsItem(TRACEPARENT_ANNOTATION, t));
    return new V1PodTemplateSpec()
        .metadata(podMeta)
        .spec(
            new V1PodSpec()
                .restartPolicy("Never")
                .serviceAccountName(r.serviceAccount())
                .automountServiceAccountToken(true)
                .terminationGracePeriodSeconds((long) r.graceSeconds())
                .securityContext(
                    new V1PodSecurityContext()
                        .runAsNonRoot(true)
                        .runAsUser(65532L)
                        .runAsGroup(65532L)
                        .fsGroup(65532L)
                        .seccompProfile(new V1SeccompProfile().type("RuntimeDefault")))
                .containers(List.of(worker))
                .volumes(volumes));
  }

  private static List<V1EnvVar> env(Request r) {
    return List.of(
        new V1EnvVar().name("DOCPIPE_CORPUS").value(r.corpus()),
        new V1EnvVar().name("DOCPIPE_SHARDS").value(Integer.toString(r.shards())),
        // As many model runs as the CPUs the container requests (the kubelet rounds up): with a
        // request and no limit the JVM would count every core of the node (ADR 0008's addendum).
        new V1EnvVar()
            .name("DOCPIPE_ONNX_THREADS")
            .valueFrom(
                new V1EnvVarSource()
                    .resourceFieldRef(
                        new V1ResourceFieldSelector()
                            .containerName(CONTAINER)
                            .resource("requests.cpu")
                            .divisor(new Quantity("1")))),
        // The worker stops this long after SIGTERM at the latest, before the kubelet's SIGKILL.
        new V1EnvVar()
            .name("DOCPIPE_SHUTDOWN_GRACE_SECONDS")
            .value(Integer.toString(Math.max(1, r.graceSeconds() - 5))),
        new V1EnvVar().name("DOCPIPE_CHECKPOINT_STORE").value("configmap"),
        new V1EnvVar().name("DOCPIPE_INDEX_DIR").value("/tmp/docpipe"),
        fieldRef("DOCPIPE_K8S_NAMESPACE", "metadata.namespace"),
        fieldRef("DOCPIPE_K8S_JOB_NAME", "metadata.labels['batch.kubernetes.io/job-name']"),
        fieldRef("DOCPIPE_K8S_JOB_UID", "metadata.labels['batch.kubernetes.io/controller-uid']"),
        // Empty when the pod has no such annotation (a CronJob's): the worker then starts a trace.
        fieldRef("TRACEPARENT", "metadata.annotations['" + TRACEPARENT_ANNOTATION + "']"),
        // Keys as files (the volume docpipe-secrets): mounted files follow a rotation,
        // variables would not.
        new V1EnvVar().name("DOCPIPE_SECRETS_DIR").value(SECRETS_MOUNT));
  }

  private static V1EnvVar fieldRef(String name, String path) {
    return new V1EnvVar()
        .name(name)
        .valueFrom(new V1EnvVarSource().fieldRef(new V1ObjectFieldSelector().fieldPath(path)));
  }
}
