package io.docpipe.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.harness.kubernetes.MockApiServer;
import io.docpipe.testkit.EmbeddingsStandIn;
import io.docpipe.wiring.DocpipeConfig;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.BatchV1Api;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.openapi.models.V1Container;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1JobSpec;
import io.kubernetes.client.openapi.models.V1PodFailurePolicyRule;
import io.kubernetes.client.openapi.models.V1PodSpec;
import io.kubernetes.client.util.ClientBuilder;
import io.kubernetes.client.util.Yaml;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code submit} and {@code status} against the CRUD API stand-in over real HTTP. */
class SubmitAndStatusTest {

  private final MockApiServer server = new MockApiServer();
  @TempDir Path temp;

  @AfterEach
  void stopServer() {
    server.close();
  }

  private record Run(int exit, String out, String err) {}

  private Run gke(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = GkeCli.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * {@code gke submit} of {@code corpus} in {@code shards} shards, then the {@code more} options.
   */
  private Run submit(String corpus, int shards, int parallelism, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "submit",
                "--corpus",
                corpus,
                "--shards",
                Integer.toString(shards),
                "--parallelism",
                Integer.toString(parallelism)));
    args.addAll(List.of(more));
    return gke(args.toArray(String[]::new));
  }

  private BatchV1Api batch() {
    ApiClient client = new ClientBuilder().setBasePath(server.url().toString()).build();
    return new BatchV1Api(client);
  }

  static void assertIndexedJobSpec(V1JobSpec spec, int shards, int parallelism) {
    assertThat(spec.getCompletionMode()).isEqualTo("Indexed");
    assertThat(spec.getCompletions()).isEqualTo(shards);
    assertThat(spec.getParallelism()).isEqualTo(parallelism);
    assertThat(spec.getBackoffLimitPerIndex()).isEqualTo(3);
    assertThat(spec.getMaxFailedIndexes()).isNotNull().isPositive();
    List<V1PodFailurePolicyRule> rules = spec.getPodFailurePolicy().getRules();
    assertThat(rules.get(0).getAction()).isEqualTo("Ignore");
    assertThat(rules.get(0).getOnPodConditions())
        .singleElement()
        .satisfies(c -> assertThat(c.getType()).isEqualTo("DisruptionTarget"));
    assertThat(rules)
        .filteredOn(r -> r.getOnExitCodes() != null)
        .extracting(r -> r.getAction() + ":" + r.getOnExitCodes().getValues())
        .containsExactly("FailJob:[78]", "FailIndex:[76]", "Count:[75]");
    V1PodSpec pod = spec.getTemplate().getSpec();
    assertThat(pod.getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getServiceAccountName()).isEqualTo("docpipe-worker");
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    var container = pod.getContainers().get(0);
    assertThat(container.getName()).isEqualTo(JobSpecs.CONTAINER);
    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(container.getEnv())
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("DOCPIPE_SHARDS");
              assertThat(e.getValue()).isEqualTo(Integer.toString(shards));
            })
        .anySatisfy(
            e -> {
              assertThat(e.getName()).isEqualTo("DOCPIPE_K8S_JOB_NAME");
              assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                  .isEqualTo("metadata.labels['batch.kubernetes.io/job-name']");
            });
  }

  @Test
  void submit_createsTheIndexedJob_asTheApiServerStoresIt() throws Exception {
    Run run =
        submit(
            "/corpus/handbook",
            8,
            3,
            "--corpus-claim",
            "handbook",
            "--name",
            "index-handbook",
            "-n",
            "search",
            "--api-server",
            server.url().toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("job.batch/index-handbook created: 8 shards, 3 at a time");
    V1Job stored = batch().readNamespacedJob("index-handbook", "search").execute();
    assertIndexedJobSpec(stored.getSpec(), 8, 3);
    // One new trace for the whole Job: on the pod template, handed to each pod as TRACEPARENT.
    String traceparent =
        stored
            .getSpec()
            .getTemplate()
            .getMetadata()
            .getAnnotations()
            .get(JobSpecs.TRACEPARENT_ANNOTATION);
    assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    assertThat(run.out()).contains("trace " + traceparent.split("-")[1]);
    assertTraceparentFromAnnotation(stored.getSpec().getTemplate().getSpec());
    assertThat(stored.getSpec().getTemplate().getSpec().getVolumes())
        .filteredOn(v -> v.getPersistentVolumeClaim() != null)
        .singleElement()
        .satisfies(
            v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("handbook"));

    Run again =
        submit(
            "/c",
            2,
            1,
            "--name",
            "index-handbook",
            "-n",
            "search",
            "--api-server",
            server.url().toString());
    assertThat(again.exit()).isEqualTo(1);
    assertThat(again.err()).contains("creating index-handbook failed: HTTP 409");
  }

  @Test
  void submitWithASchedule_createsACronJobThatForbidsOverlappingRuns() throws Exception {
    Run run =
        submit(
            "/corpus",
            4,
            4,
            "--schedule",
            "0 3 * * *",
            "--name",
            "nightly",
            "--api-server",
            server.url().toString());
    assertThat(run.exit()).as(run.err()).isZero();
    V1CronJob cron = batch().readNamespacedCronJob("nightly", "default").execute();
    assertThat(cron.getSpec().getSchedule()).isEqualTo("0 3 * * *");
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    assertIndexedJobSpec(cron.getSpec().getJobTemplate().getSpec(), 4, 4);
    // Every scheduled run shares the template: no fixed trace there, each shard starts its own.
    var template = cron.getSpec().getJobTemplate().getSpec().getTemplate();
    assertThat(template.getMetadata().getAnnotations()).isNullOrEmpty();
    assertTraceparentFromAnnotation(template.getSpec());
  }

  @Test
  void submitWithATraceparent_putsThatOneOnThePods_andRefusesAMalformedOneOrASchedule()
      throws Exception {
    String given = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    Run run =
        submit(
            "/corpus",
            2,
            2,
            "--name",
            "traced",
            "--traceparent",
            given,
            "--api-server",
            server.url().toString());
    assertThat(run.exit()).as(run.err()).isZero();
    V1Job stored = batch().readNamespacedJob("traced", "default").execute();
    assertThat(stored.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry(JobSpecs.TRACEPARENT_ANNOTATION, given);

    Run malformed =
        submit(
            "/corpus",
            2,
            2,
            "--traceparent",
            "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
            "--dry-run");
    assertThat(malformed.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(malformed.err()).contains("--traceparent must be a W3C traceparent");
    assertThat(malformed.out()).isEmpty();
    Run scheduled =
        submit("/corpus", 2, 2, "--schedule", "0 3 * * *", "--traceparent", given, "--dry-run");
    assertThat(scheduled.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(scheduled.err()).contains("a CronJob's runs would all share it");
  }

  /** The worker container maps the pod's traceparent annotation into TRACEPARENT. */
  static void assertTraceparentFromAnnotation(V1PodSpec pod) {
    assertThat(pod.getContainers().get(0).getEnv())
        .filteredOn(e -> e.getName().equals("TRACEPARENT"))
        .singleElement()
        .satisfies(
            e ->
                assertThat(e.getValueFrom().getFieldRef().getFieldPath())
                    .isEqualTo("metadata.annotations['docpipe.io/traceparent']"));
  }

  @Test
  void dryRun_printsYamlThatLoadsBackIntoTheTypedModel_andCreatesNothing() throws Exception {
    Run run = submit("/corpus", 5, 2, "--dry-run", "--api-server", server.url().toString());
    assertThat(run.exit()).as(run.err()).isZero();
    V1Job job = Yaml.loadAs(run.out(), V1Job.class);
    assertThat(job.getKind()).isEqualTo("Job");
    assertThat(job.getMetadata().getName()).isEqualTo("docpipe-index");
    assertIndexedJobSpec(job.getSpec(), 5, 2);
    assertThat(batch().listNamespacedJob("default").execute().getItems()).isEmpty();
  }

  @Test
  void cpus_sizeEachPod_andItsModelRuns_andAreBounded() throws Exception {
    assertPodSize("1");
    assertPodSize("4", "--cpus", "4");
    assertPodSize("256", "--cpus", "256", "--schedule", "0 3 * * *");
    for (String bad : List.of("0", "257")) {
      Run refused = submit("/corpus", 5, 2, "--cpus", bad, "--dry-run");
      assertThat(refused.exit()).isEqualTo(CommandLine.ExitCode.USAGE);
      assertThat(refused.err()).contains("--cpus must be a whole number from 1 to 256, got " + bad);
      assertThat(refused.out()).isEmpty();
    }
  }

  /**
   * The worker of a dry run with {@code flags} requests {@code cpus} and runs the model on them.
   */
  private void assertPodSize(String cpus, String... flags) throws Exception {
    List<String> args = new ArrayList<>(List.of(flags));
    args.add("--dry-run");
    Run run = submit("/corpus", 5, 2, args.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isZero();
    V1PodSpec pod =
        args.contains("--schedule")
            ? Yaml.loadAs(run.out(), V1CronJob.class)
                .getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec()
            : Yaml.loadAs(run.out(), V1Job.class).getSpec().getTemplate().getSpec();
    V1Container worker = pod.getContainers().get(0);
    assertThat(worker.getResources().getRequests().get("cpu").toSuffixedString()).isEqualTo(cpus);
    assertModelRunsAreTheCpuRequest(worker);
  }

  /** The worker's model runs come from its own CPU request, as the kubelet hands it over. */
  private static void assertModelRunsAreTheCpuRequest(V1Container worker) {
    assertThat(worker.getEnv())
        .filteredOn(e -> e.getName().equals("DOCPIPE_ONNX_THREADS"))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getValue()).isNull();
              var ref = e.getValueFrom().getResourceFieldRef();
              assertThat(ref.getContainerName()).isEqualTo(worker.getName());
              assertThat(ref.getResource()).isEqualTo("requests.cpu");
              assertThat(ref.getDivisor().toSuffixedString()).isEqualTo("1");
            });
  }

  @Test
  void status_showsTheJobAndEachShardsCheckpoint() throws Exception {
    assertThat(
            submit("/corpus", 3, 3, "--name", "index-docs", "--api-server", server.url().toString())
                .exit())
        .isZero();
    CheckpointStore checkpoints = configMapCheckpoints("index-docs-checkpoints");
    checkpoints.save(
        new Checkpoint(
            new ShardSpec(0, 3), DocumentId.of("z.txt"), new ShardProgress(40, 2, 1), true));
    checkpoints.save(
        new Checkpoint(
            new ShardSpec(2, 3), DocumentId.of("m.txt"), new ShardProgress(10, 0, 0), false));
    Run run = gke("status", "index-docs", "--api-server", server.url().toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("job default/index-docs: 3 shards")
        .contains("shard 0: complete, 40 indexed, 2 unchanged, 1 failed, last z.txt")
        .contains("shard 1: not started")
        .contains("shard 2: in progress, 10 indexed, 0 unchanged, 0 failed, last m.txt")
        .contains("total: 50 indexed, 2 unchanged, 1 failed");

    Run missing = gke("status", "no-such-job", "--api-server", server.url().toString());
    assertThat(missing.exit()).isEqualTo(1);
    assertThat(missing.err()).contains("HTTP 404");
  }

  private CheckpointStore configMapCheckpoints(String configMap) {
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(
            Map.of(
                "DOCPIPE_CHECKPOINT_STORE",
                "configmap",
                "DOCPIPE_CHECKPOINT_CONFIGMAP",
                configMap,
                "DOCPIPE_K8S_API_URL",
                server.url().toString()));
    return GkeComponent.create(config, ShardSpec.whole(), OutcomeLog.NONE).checkpoints();
  }

  /**
   * A worker process on the ConfigMap store, as in a pod: its checkpoint lands in the Job's
   * ConfigMap and its Events on the Job. Embeds through the local stub (no model to load).
   */
  @Test
  void aWorkerOnTheConfigMapStore_checkpointsThereAndPostsEvents() throws Exception {
    Path corpus = temp.resolve("corpus");
    Workers.corpus(corpus, 30, 11);
    try (EmbeddingsStandIn embeddings = EmbeddingsStandIn.start(16, "stub")) {
      Map<String, String> env =
          Workers.env(corpus, temp.resolve("index"), temp.resolve("unused"), new ShardSpec(1, 2));
      env.putAll(embeddings.env());
      env.put("DOCPIPE_CHECKPOINT_STORE", "configmap");
      env.put("DOCPIPE_K8S_API_URL", server.url().toString());
      env.put("DOCPIPE_K8S_NAMESPACE", "search");
      env.put("DOCPIPE_K8S_JOB_NAME", "index-e2e");
      env.put("DOCPIPE_K8S_JOB_UID", "uid-e2e");
      Path logs = temp.resolve("logs");
      Process worker = Workers.start(env, temp.resolve("outcomes.log"), logs, "w");
      assertThat(Workers.exitCode(worker, Duration.ofSeconds(120)))
          .as(Workers.stderr(logs, "w"))
          .isZero();
    }
    ApiClient client = new ClientBuilder().setBasePath(server.url().toString()).build();
    var map =
        new CoreV1Api(client).readNamespacedConfigMap("index-e2e-checkpoints", "search").execute();
    assertThat(map.getData().get("shard-1-of-2")).contains("complete=true");
    assertThat(map.getData().get("shard-1-of-2.summary")).contains("complete=true");
    assertThat(map.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(o -> assertThat(o.getUid()).isEqualTo("uid-e2e"));
    List<CoreV1Event> events =
        new CoreV1Api(client).listNamespacedEvent("search").execute().getItems();
    assertThat(events)
        .filteredOn(e -> "ShardCompleted".equals(e.getReason()))
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getInvolvedObject().getName()).isEqualTo("index-e2e");
              assertThat(e.getMessage()).startsWith("shard 1/2: completed: ");
            });
  }
}
