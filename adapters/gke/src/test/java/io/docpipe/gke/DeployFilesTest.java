package io.docpipe.gke;

import static io.docpipe.testkit.Commands.onPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kubernetes.client.common.KubernetesObject;
import io.kubernetes.client.custom.IntOrString;
import io.kubernetes.client.custom.Quantity;
import io.kubernetes.client.openapi.models.V1ConfigMap;
import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Deployment;
import io.kubernetes.client.openapi.models.V1EnvVar;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1PersistentVolumeClaim;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1StatefulSet;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code deploy/k8s} read the way a cluster reads it: every overlay rendered with {@code kubectl
 * kustomize} (plus the namespace applied before it), loaded into the Kubernetes client's typed
 * model and checked by {@link DeployChecks}. The mutation tests prove that the checks fail, naming
 * the object, when one label or one Secret is off.
 */
class DeployFilesTest {

  private static final Path REPO = Path.of(System.getProperty("docpipe.repo.dir", "../.."));
  private static final Path K8S = REPO.resolve("deploy/k8s");
  private static final List<String> OVERLAYS = List.of("job", "nightly", "service");

  @TempDir static Path copy;

  /** Rendered YAML per overlay (with the namespace), loaded afresh by each test. */
  private static final Map<String, String> RENDERED = new LinkedHashMap<>();

  private static String clientVersion;

  @BeforeAll
  static void render() throws Exception {
    assumeTrue(onPath("kubectl"), "kubectl is not on PATH: deploy/k8s overlays not rendered");
    clientVersion = qdrantClientVersion();
    // The Secrets' inputs are never committed: render a copy with the committed examples in place.
    try (Stream<Path> files = Files.walk(K8S)) {
      for (Path source : files.toList()) {
        Path target = copy.resolve(K8S.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else if (!K8S.relativize(source).startsWith("secrets")
            || source.toString().endsWith(".example")
            || source.getFileName().toString().equals("kustomization.yaml")) {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    try (Stream<Path> examples = Files.list(copy.resolve("secrets"))) {
      for (Path example : examples.filter(p -> p.toString().endsWith(".example")).toList()) {
        String name = example.getFileName().toString();
        Files.copy(example, example.resolveSibling(name.substring(0, name.length() - 8)));
      }
    }
    String namespace = kustomize(copy.resolve("namespace"));
    for (String overlay : OVERLAYS) {
      RENDERED.put(overlay, namespace + "\n---\n" + kustomize(copy.resolve("overlays/" + overlay)));
    }
  }

  private static List<Object> load(String overlay) throws IOException {
    return new ArrayList<>(Yaml.loadAll(RENDERED.get(overlay)));
  }

  private static List<String> check(List<Object> objects) {
    return DeployChecks.check(objects, clientVersion);
  }

  @Test
  void everyOverlay_isAcceptedByEveryCheck() throws IOException {
    for (String overlay : OVERLAYS) {
      assertThat(check(load(overlay))).as("problems of overlays/" + overlay).isEmpty();
    }
  }

  @Test
  void theWorkersAndQdrant_shareTheNamespace_theSettings_andTheKey() throws IOException {
    for (String overlay : List.of("job", "nightly")) {
      List<Object> objects = load(overlay);
      V1StatefulSet qdrant = only(objects, V1StatefulSet.class);
      assertThat(qdrant.getMetadata().getNamespace()).isEqualTo("docpipe");
      var worker =
          overlay.equals("job")
              ? only(objects, V1Job.class).getSpec().getTemplate()
              : only(objects, V1CronJob.class).getSpec().getJobTemplate().getSpec().getTemplate();
      // The worker's key: a file DOCPIPE_QDRANT_API_KEY in its mounted secrets folder.
      var keyOfWorker =
          worker.getSpec().getVolumes().stream()
              .filter(v -> v.getProjected() != null)
              .flatMap(v -> v.getProjected().getSources().stream())
              .filter(p -> p.getSecret() != null && p.getSecret().getItems() != null)
              .filter(
                  p ->
                      p.getSecret().getItems().stream()
                          .anyMatch(i -> i.getPath().equals("DOCPIPE_QDRANT_API_KEY")))
              .findFirst()
              .orElseThrow()
              .getSecret();
      var keyOfQdrant =
          qdrant.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv().stream()
              .filter(e -> e.getName().equals("QDRANT__SERVICE__API_KEY"))
              .findFirst()
              .orElseThrow()
              .getValueFrom()
              .getSecretKeyRef();
      assertThat(keyOfWorker.getName()).isEqualTo(keyOfQdrant.getName());
      assertThat(keyOfWorker.getItems().getFirst().getKey()).isEqualTo(keyOfQdrant.getKey());
      V1ConfigMap settings = only(objects, V1ConfigMap.class);
      assertThat(settings.getData())
          .containsEntry("DOCPIPE_VECTOR_STORE", "qdrant")
          .containsEntry("DOCPIPE_QDRANT_HOST", "qdrant");
      V1PersistentVolumeClaim corpus = only(objects, V1PersistentVolumeClaim.class);
      assertThat(corpus.getSpec().getAccessModes()).containsExactly("ReadOnlyMany");
    }
  }

  // ---- the checks fail, naming the object, when the rendering is off

  @Test
  void aWorkerWithoutThePartOfLabel_isRefusedByQdrantsPolicy_namingBoth() throws IOException {
    List<Object> objects = load("job");
    only(objects, V1Job.class)
        .getSpec()
        .getTemplate()
        .getMetadata()
        .getLabels()
        .remove("app.kubernetes.io/part-of");
    assertThat(check(objects))
        .singleElement()
        .asString()
        .contains("Job docpipe/docpipe-index")
        .contains("StatefulSet docpipe/qdrant")
        .contains("refused on ingress by [NetworkPolicy docpipe/qdrant-docpipe-only]");
  }

  @Test
  void aWorkerPolicyExpectingAnotherQdrantLabel_refusesTheWorkersEgress() throws IOException {
    List<Object> objects = load("nightly");
    V1NetworkPolicy workerPolicy =
        all(objects, V1NetworkPolicy.class).stream()
            .filter(p -> p.getMetadata().getName().equals("docpipe-worker"))
            .findFirst()
            .orElseThrow();
    workerPolicy
        .getSpec()
        .getEgress()
        .get(2)
        .getTo()
        .get(0)
        .getPodSelector()
        .getMatchLabels()
        .put("app.kubernetes.io/name", "qdrant-db");
    assertThat(check(objects))
        .singleElement()
        .asString()
        .contains("CronJob docpipe/docpipe-nightly")
        .contains("refused on egress by [NetworkPolicy docpipe/docpipe-worker]");
  }

  @Test
  void aRemovedSecret_isNamed_withEveryObjectThatNeedsIt() throws IOException {
    List<Object> objects = load("service");
    objects.removeIf(
        o ->
            o instanceof KubernetesObject k
                && k.getKind().equals("Secret")
                && k.getMetadata().getName().equals("qdrant-api-key"));
    List<String> problems = check(objects);
    assertThat(problems)
        .hasSize(2)
        .allMatch(p -> p.startsWith("Secret docpipe/qdrant-api-key is missing"))
        .anyMatch(p -> p.contains("Deployment docpipe/docpipe-api volume docpipe-secrets"))
        .anyMatch(p -> p.contains("StatefulSet docpipe/qdrant container qdrant"));
  }

  @Test
  void everyDocpipePod_readsItsKeysFromAMountedSecretFolder_thatTheKubeletUpdates()
      throws IOException {
    for (String overlay : OVERLAYS) {
      List<Object> objects = load(overlay);
      var pod =
          switch (overlay) {
            case "job" -> only(objects, V1Job.class).getSpec().getTemplate().getSpec();
            case "nightly" ->
                only(objects, V1CronJob.class)
                    .getSpec()
                    .getJobTemplate()
                    .getSpec()
                    .getTemplate()
                    .getSpec();
            default -> only(objects, V1Deployment.class).getSpec().getTemplate().getSpec();
          };
      var main = pod.getContainers().getFirst();
      String dir =
          main.getEnv().stream()
              .filter(e -> e.getName().equals("DOCPIPE_SECRETS_DIR"))
              .findFirst()
              .orElseThrow()
              .getValue();
      var mount =
          main.getVolumeMounts().stream()
              .filter(m -> m.getMountPath().equals(dir))
              .findFirst()
              .orElseThrow();
      assertThat(mount.getSubPath()).as(overlay + ": a subPath mount never updates").isNull();
      var sources =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow()
              .getProjected()
              .getSources();
      var secrets = sources.stream().map(p -> p.getSecret().getName()).toList();
      assertThat(secrets).as(overlay).contains("qdrant-api-key", "docpipe-secrets");
      if (overlay.equals("service")) {
        assertThat(secrets).contains("docpipe-api-secrets");
      }
      // Each mounted Secret is in the same rendering.
      for (String name : secrets) {
        assertThat(objects)
            .as(overlay + " renders Secret " + name)
            .anyMatch(
                o ->
                    o instanceof KubernetesObject k
                        && k.getKind().equals("Secret")
                        && k.getMetadata().getName().equals(name));
      }
    }
  }

  @Test
  void aKeyAsAVariable_anUnmountedSecretsFolder_andAMissingSecretKey_areNamed() throws IOException {
    List<Object> objects = load("job");
    var pod = only(objects, V1Job.class).getSpec().getTemplate().getSpec();
    var worker = pod.getContainers().getFirst();
    worker.addEnvItem(
        new io.kubernetes.client.openapi.models.V1EnvVar()
            .name("DOCPIPE_OPENAI_API_KEY")
            .valueFrom(
                new io.kubernetes.client.openapi.models.V1EnvVarSource()
                    .secretKeyRef(
                        new io.kubernetes.client.openapi.models.V1SecretKeySelector()
                            .name("docpipe-secrets")
                            .key("DOCPIPE_OPENAI_API_KEY"))));
    worker.getVolumeMounts().removeIf(m -> m.getName().equals("docpipe-secrets"));
    pod.getVolumes().stream()
        .filter(v -> v.getName().equals("docpipe-secrets"))
        .flatMap(v -> v.getProjected().getSources().stream())
        .filter(p -> p.getSecret().getItems() != null && !p.getSecret().getItems().isEmpty())
        .forEach(p -> p.getSecret().getItems().getFirst().setKey("apikey"));
    assertThat(check(objects))
        .contains(
            "Job docpipe/docpipe-index container worker env DOCPIPE_OPENAI_API_KEY: a key from a"
                + " Secret as a variable never rotates; mount it under DOCPIPE_SECRETS_DIR",
            "Job docpipe/docpipe-index container worker: DOCPIPE_SECRETS_DIR=/var/run/secrets/docpipe"
                + " is not a mounted volume",
            "Job docpipe/docpipe-index volume docpipe-secrets: Secret docpipe/qdrant-api-key has no"
                + " key apikey");
  }

  @Test
  void settingsWithoutTheVectorStore_areRefused_forTheShardedJob() throws IOException {
    List<Object> objects = load("nightly");
    only(objects, V1ConfigMap.class).getData().remove("DOCPIPE_VECTOR_STORE");
    assertThat(check(objects))
        .contains(
            "CronJob docpipe/docpipe-nightly: 8 shards on the embedded index"
                + " (DOCPIPE_VECTOR_STORE=lucene): each pod's index would be lost; set"
                + " DOCPIPE_VECTOR_STORE=qdrant");
  }

  @Test
  void modelRunsLeftToTheNodesCores_orAboveTheCpusAsked_areNamed() throws IOException {
    List<Object> objects = load("job");
    var worker =
        only(objects, V1Job.class).getSpec().getTemplate().getSpec().getContainers().get(0);
    String prefix = "Job docpipe/docpipe-index container worker: DOCPIPE_ONNX_THREADS";
    java.util.function.Function<String, String> refused =
        count ->
            prefix
                + "='"
                + count
                + "' is not a whole number from 1 to 256: the worker would refuse to start";
    java.util.function.BiFunction<Integer, String, String> tooMany =
        (runs, cpus) ->
            prefix + "=" + runs + " asks for more model runs than the container's " + cpus;
    // Shipped: the count is the CPU request as the kubelet hands it over, rounded up; without a
    // request it is the limit, without either 0, which the worker refuses.
    var reference =
        worker.getEnv().stream()
            .filter(e -> e.getName().equals("DOCPIPE_ONNX_THREADS"))
            .findFirst()
            .orElseThrow()
            .getValueFrom()
            .getResourceFieldRef();
    worker.getResources().getRequests().remove("cpu");
    assertThat(check(objects)).containsExactly(refused.apply("0"));
    worker.getResources().putLimitsItem("cpu", new Quantity("2"));
    assertThat(check(objects)).as("the limit stands in for the request").isEmpty();
    worker.getResources().getLimits().remove("cpu");
    worker.getResources().putRequestsItem("cpu", new Quantity("500m"));
    assertThat(check(objects)).as("half a CPU: 1 run").isEmpty();
    worker.getResources().putRequestsItem("cpu", new Quantity("3"));
    assertThat(check(objects)).isEmpty();
    // Another container's request, one the pod does not have, a divisor the API server refuses.
    var docBuilder =
        only(objects, V1Job.class).getSpec().getTemplate().getSpec().getInitContainers().get(0);
    docBuilder.getResources().putRequestsItem("cpu", new Quantity("4"));
    reference.setContainerName(docBuilder.getName());
    assertThat(check(objects)).containsExactly(tooMany.apply(4, "3 CPUs (request)"));
    reference.setContainerName("nope");
    assertThat(check(objects))
        .containsExactly(
            prefix
                + " takes requests.cpu of container nope, which the pod does not have: it would"
                + " not start");
    reference.setContainerName("worker");
    reference.setDivisor(new Quantity("1m"));
    assertThat(check(objects)).containsExactly(refused.apply("3000"));
    reference.setDivisor(new Quantity("2"));
    assertThat(check(objects))
        .containsExactly(
            prefix
                + " takes requests.cpu over 2: the API server takes only 1 or 1m as a CPU divisor");
    reference.setDivisor(new Quantity("1"));
    assertThat(check(objects)).isEmpty();

    // Without the container's own count, the settings' (kept there for clusters that applied it:
    // the ConfigMap is immutable) applies; without both, the node's cores would.
    worker.getEnv().removeIf(e -> e.getName().equals("DOCPIPE_ONNX_THREADS"));
    assertThat(check(objects)).isEmpty();
    only(objects, V1ConfigMap.class).getData().remove("DOCPIPE_ONNX_THREADS");
    String notSet =
        prefix
            + " is not set and there is no CPU limit: the JVM sees every core of the node and the"
            + " model would run on as many at once; set it to the CPUs the container requests";
    assertThat(check(objects)).containsExactly(notSet);
    worker.addEnvItem(new V1EnvVar().name("DOCPIPE_ONNX_THREADS").value(" "));
    assertThat(check(objects)).as("blank is unset, to docpipe").containsExactly(notSet);
    worker.getEnv().getLast().setValue(" 4");
    assertThat(check(objects)).containsExactly(tooMany.apply(4, "3 CPUs (request)"));
    worker.getResources().putRequestsItem("cpu", new Quantity("3500m"));
    assertThat(check(objects)).as("3.5 CPUs, rounded up").isEmpty();
    worker.getEnv().getLast().setValue("+4");
    assertThat(check(objects)).as("a count as docpipe reads it").isEmpty();
    // A CPU limit bounds what the JVM sees: the default is then right, and the limit is the bound.
    worker.getEnv().removeLast();
    worker.getResources().putRequestsItem("cpu", new Quantity("1"));
    worker.getResources().putLimitsItem("cpu", new Quantity("1"));
    assertThat(check(objects)).isEmpty();
    worker.addEnvItem(new V1EnvVar().name("DOCPIPE_ONNX_THREADS").value("2"));
    assertThat(check(objects)).containsExactly(tooMany.apply(2, "1 CPUs (limit)"));
    worker.getEnv().getLast().setValue("many");
    assertThat(check(objects)).containsExactly(refused.apply("many"));

    // An embeddings API instead of the model: no runs to bound.
    List<Object> service = load("service");
    var api = only(service, V1Deployment.class).getSpec().getTemplate().getSpec().getContainers();
    api.get(0).getEnv().removeIf(e -> e.getName().equals("DOCPIPE_ONNX_THREADS"));
    only(service, V1ConfigMap.class).getData().remove("DOCPIPE_ONNX_THREADS");
    assertThat(check(service))
        .containsExactly(
            "Deployment docpipe/docpipe-api container api: DOCPIPE_ONNX_THREADS is not set and"
                + " there is no CPU limit: the JVM sees every core of the node and the model would"
                + " run on as many at once; set it to the CPUs the container requests");
    api.get(0).addEnvItem(new V1EnvVar().name("DOCPIPE_EMBEDDING").value("openai"));
    assertThat(check(service)).isEmpty();
  }

  @Test
  void aWorkloadRelabelledApartFromItsPods_isNamed() throws IOException {
    List<Object> objects = load("service");
    only(objects, V1StatefulSet.class)
        .getMetadata()
        .getLabels()
        .put("app.kubernetes.io/name", "docpipe");
    assertThat(check(objects))
        .containsExactly(
            "StatefulSet docpipe/qdrant is labelled app.kubernetes.io/name=docpipe but its pods"
                + " app.kubernetes.io/name=qdrant");
  }

  @Test
  void aRemovedClaimOrServiceAccount_isNamed() throws IOException {
    List<Object> objects = load("job");
    objects.removeIf(
        o ->
            o instanceof KubernetesObject k
                && Set.of("PersistentVolumeClaim", "ServiceAccount").contains(k.getKind()));
    assertThat(check(objects))
        .contains(
            "PersistentVolumeClaim docpipe/docpipe-corpus is missing (referenced by Job"
                + " docpipe/docpipe-index volume corpus)",
            "ServiceAccount docpipe/docpipe-worker is missing (referenced by Job"
                + " docpipe/docpipe-index)",
            "ServiceAccount docpipe/docpipe-worker is missing (referenced by RoleBinding"
                + " docpipe/docpipe-worker)");
  }

  @Test
  void anImageByTag_andAnEscalatingContainer_areNamed() throws IOException {
    List<Object> objects = load("service");
    var api = only(objects, V1Deployment.class).getSpec().getTemplate().getSpec();
    api.getContainers().get(0).setImage("docpipe/docpipe-fargate:latest");
    api.getContainers().get(0).getSecurityContext().setAllowPrivilegeEscalation(null);
    api.getSecurityContext().setSeccompProfile(null);
    assertThat(check(objects))
        .containsExactlyInAnyOrder(
            "Deployment docpipe/docpipe-api container api: image 'docpipe/docpipe-fargate:latest'"
                + " is not pinned by digest (name@sha256:...; deploy/k8s/images)",
            "Deployment docpipe/docpipe-api container api: Pod Security restricted:"
                + " allowPrivilegeEscalation must be false",
            "Deployment docpipe/docpipe-api container api: Pod Security restricted:"
                + " seccompProfile.type must be RuntimeDefault (pod or container)");
  }

  @Test
  void aQdrantServerTwoMinorVersionsAway_isRefused() throws IOException {
    List<Object> objects = load("job");
    var qdrant = only(objects, V1StatefulSet.class).getSpec().getTemplate().getSpec();
    String image = qdrant.getContainers().get(0).getImage();
    String[] client = clientVersion.split("\\.");
    String old = "v" + client[0] + "." + (Integer.parseInt(client[1]) - 2) + ".0";
    qdrant.getContainers().get(0).setImage(image.replaceFirst("v[0-9.]+", old));
    assertThat(check(objects))
        .singleElement()
        .asString()
        .startsWith(
            "StatefulSet docpipe/qdrant container qdrant: Qdrant server " + old.substring(1))
        .contains("does not suit the client " + clientVersion);
  }

  @Test
  void aNightlyRoleOverMutableSettings_isRefused_andTheJobsRoleOnlyNamesItsCheckpoints()
      throws IOException {
    List<Object> nightly = load("nightly");
    only(nightly, V1ConfigMap.class).setImmutable(false);
    assertThat(check(nightly))
        .singleElement()
        .asString()
        .contains("Role docpipe/docpipe-worker may change every ConfigMap")
        .contains("ConfigMap docpipe/docpipe-settings is not immutable");
    List<Object> job = load("job");
    only(job, V1Role.class).getRules().get(0).getResourceNames().add("docpipe-settings");
    assertThat(check(job))
        .containsExactly(
            "Role docpipe/docpipe-worker may change ConfigMap docpipe-settings, which is no Job's"
                + " checkpoint map in this rendering");
  }

  @Test
  void theApi_isReachableFromTheLoadBalancer_andItsServiceNamesARealPort() throws IOException {
    List<Object> objects = load("service");
    V1NetworkPolicy api =
        all(objects, V1NetworkPolicy.class).stream()
            .filter(p -> p.getMetadata().getName().equals("docpipe-api"))
            .findFirst()
            .orElseThrow();
    api.getSpec().getIngress().get(0).getPorts().get(0).setPort(new IntOrString(8443));
    assertThat(check(objects))
        .singleElement()
        .asString()
        .contains("Google load balancer " + DeployChecks.GOOGLE_LOAD_BALANCER)
        .contains("Deployment docpipe/docpipe-api TCP 8080")
        .contains("refused on ingress by [NetworkPolicy docpipe/docpipe-api]");
  }

  @Test
  void theApi_drainsWithinItsGracePeriod_andIsReadyOnlyWhenTheServiceIs() throws IOException {
    var pod = only(load("service"), V1Deployment.class).getSpec().getTemplate().getSpec();
    var api = pod.getContainers().get(0);
    assertThat(api.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
    assertThat(api.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
    long preStop = api.getLifecycle().getPreStop().getSleep().getSeconds();
    String budget =
        api.getEnv().stream()
            .filter(e -> e.getName().equals("DOCPIPE_HTTP_DRAIN_BUDGET"))
            .findFirst()
            .orElseThrow()
            .getValue();
    long drain = Long.parseLong(budget.replace("s", ""));
    assertThat(preStop + drain)
        .as("preStop sleep + drain budget < terminationGracePeriodSeconds")
        .isLessThan(pod.getTerminationGracePeriodSeconds());
  }

  // ---- deploy/README.md

  @Test
  void everyPathInTheReadme_exists_andEveryOverlayIsDocumented() throws IOException {
    String readme = Files.readString(REPO.resolve("deploy/README.md"));
    Matcher m = Pattern.compile("deploy/k8s/[A-Za-z0-9_./-]*[A-Za-z0-9_-]").matcher(readme);
    Set<String> named = new TreeSet<>();
    while (m.find()) {
      named.add(m.group());
    }
    assertThat(named).isNotEmpty();
    for (String path : named) {
      Path p = REPO.resolve(path);
      boolean secretInput =
          path.startsWith("deploy/k8s/secrets/") && Files.exists(REPO.resolve(path + ".example"));
      assertThat(Files.exists(p) || secretInput).as(path + " (named in deploy/README.md)").isTrue();
    }
    Matcher apply =
        Pattern.compile("kubectl apply -k (deploy/k8s/[A-Za-z0-9_/-]*[A-Za-z0-9_-])")
            .matcher(readme);
    Set<String> applied = new TreeSet<>();
    while (apply.find()) {
      applied.add(apply.group(1));
    }
    Set<String> expected = new TreeSet<>();
    expected.add("deploy/k8s/namespace");
    for (String overlay : OVERLAYS) {
      expected.add("deploy/k8s/overlays/" + overlay);
    }
    assertThat(applied).as("kubectl apply -k targets in deploy/README.md").isEqualTo(expected);
    try (Stream<Path> dirs = Files.list(K8S.resolve("overlays"))) {
      assertThat(dirs.map(d -> d.getFileName().toString()).sorted().toList())
          .as("every overlay is rendered and checked here")
          .containsExactlyElementsOf(OVERLAYS.stream().sorted().toList());
    }
    // The placeholders the README's sed commands replace are where it says they are.
    String pv = Files.readString(K8S.resolve("corpus/persistentvolume.yaml"));
    for (String placeholder :
        List.of("FILESTORE_ZONE", "FILESTORE_NAME", "FILESTORE_SHARE", "FILESTORE_IP")) {
      assertThat(readme).contains(placeholder);
      assertThat(pv).contains(placeholder);
    }
    String images = Files.readString(K8S.resolve("images/kustomization.yaml"));
    for (String image : List.of("docpipe/docpipe-gke", "docpipe/docpipe-fargate")) {
      assertThat(readme).contains("newName: " + image);
      assertThat(images).contains("newName: " + image);
    }
  }

  /**
   * The README's file-editing commands (images, corpus, secrets) run on a copy of the repository's
   * deploy/k8s: afterwards the overlays render with the given digests and share, and pass.
   */
  @Test
  void theReadmesEditingCommands_workOnTheShippedFiles(@TempDir Path root) throws Exception {
    assumeTrue(onPath("bash") && onPath("sed"), "bash or sed missing: README commands not run");
    Path target = root.resolve("deploy/k8s");
    try (Stream<Path> files = Files.walk(K8S)) {
      for (Path source : files.toList()) {
        Path to = target.resolve(K8S.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(to);
        } else if (!K8S.relativize(source).startsWith("secrets")
            || source.toString().endsWith(".example")
            || source.getFileName().toString().equals("kustomization.yaml")) {
          Files.copy(source, to);
        }
      }
    }
    List<String> commands = new ArrayList<>();
    String[] lines = Files.readString(REPO.resolve("deploy/README.md")).split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      boolean edits =
          line.startsWith("sed -i")
              || (line.contains("> deploy/k8s/secrets/") && !line.startsWith("TOKEN"))
              || line.startsWith("cp deploy/k8s/secrets/");
      if (!edits) {
        continue;
      }
      StringBuilder command = new StringBuilder(line);
      while (command.toString().endsWith("\\") && i + 1 < lines.length) {
        command.setLength(command.length() - 1);
        command.append(lines[++i]);
      }
      commands.add(command.toString());
    }
    assertThat(commands).as("editing commands in deploy/README.md").hasSize(5);
    String gke = "sha256:" + "1".repeat(64);
    String api = "sha256:" + "2".repeat(64);
    String qdrant = "sha256:" + "3".repeat(64);
    String docBuilder = "sha256:" + "4".repeat(64);
    ProcessBuilder bash =
        new ProcessBuilder("bash", "-euo", "pipefail", "-c", String.join("\n", commands))
            .directory(root.toFile())
            .redirectErrorStream(true);
    bash.environment()
        .putAll(
            Map.of(
                "REGISTRY",
                "europe-west1-docker.pkg.dev/p/docpipe",
                "GKE_DIGEST",
                gke,
                "API_DIGEST",
                api,
                "QDRANT_DIGEST",
                qdrant,
                "DOC_BUILDER_DIGEST",
                docBuilder,
                "ZONE",
                "europe-west1-b",
                "FILESTORE_IP",
                "10.1.2.3"));
    Process p = bash.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(output).isZero();
    assertThat(Files.readString(target.resolve("secrets/qdrant-api-key"))).matches("[0-9a-f]{64}");
    String job = kustomize(target.resolve("overlays/job"));
    assertThat(job)
        .contains("image: europe-west1-docker.pkg.dev/p/docpipe/docpipe-gke@" + gke)
        .contains("image: europe-west1-docker.pkg.dev/p/docpipe/docpipe-doc-builder@" + docBuilder)
        .contains(":v1.18.2-unprivileged@" + qdrant)
        .contains("volumeHandle: modeInstance/europe-west1-b/docpipe-corpus/corpus")
        .contains("ip: 10.1.2.3")
        .doesNotContain("FILESTORE_")
        .doesNotContain("sha256:0000");
    assertThat(kustomize(target.resolve("overlays/service")))
        .contains("image: europe-west1-docker.pkg.dev/p/docpipe/docpipe-fargate@" + api);
    List<Object> objects =
        new ArrayList<>(Yaml.loadAll(RENDERED.get("job").split("\n---\n", 2)[0]));
    objects.addAll(Yaml.loadAll(job));
    assertThat(check(objects)).isEmpty();
  }

  // ---- helpers

  private static <T> T only(List<Object> objects, Class<T> type) {
    List<T> found = all(objects, type);
    assertThat(found).as(type.getSimpleName()).hasSize(1);
    return found.get(0);
  }

  private static <T> List<T> all(List<Object> objects, Class<T> type) {
    Predicate<Object> isType = type::isInstance;
    return objects.stream().filter(isType).map(type::cast).toList();
  }

  private static String qdrantClientVersion() throws IOException {
    String pom = Files.readString(REPO.resolve("pom.xml"));
    Matcher m = Pattern.compile("<qdrant-client.version>([^<]+)<").matcher(pom);
    assertThat(m.find()).as("qdrant-client.version in the root pom").isTrue();
    return m.group(1).strip();
  }

  private static String kustomize(Path dir) throws Exception {
    Path out = Files.createTempFile(copy, "rendered", ".yaml");
    Path err = Files.createTempFile(copy, "rendered", ".err");
    Process p =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("kubectl kustomize " + dir + " took more than 60 s");
    }
    assertThat(p.exitValue())
        .as("kubectl kustomize " + dir + ": " + Files.readString(err, StandardCharsets.UTF_8))
        .isZero();
    return Files.readString(out);
  }
}
