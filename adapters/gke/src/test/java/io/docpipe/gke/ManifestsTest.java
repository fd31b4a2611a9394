package io.docpipe.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.kubernetes.client.openapi.models.V1CronJob;
import io.kubernetes.client.openapi.models.V1Job;
import io.kubernetes.client.openapi.models.V1Namespace;
import io.kubernetes.client.openapi.models.V1NetworkPolicy;
import io.kubernetes.client.openapi.models.V1Role;
import io.kubernetes.client.openapi.models.V1RoleBinding;
import io.kubernetes.client.openapi.models.V1ServiceAccount;
import io.kubernetes.client.util.Yaml;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/k8s}: every manifest loads into the Kubernetes client's typed model with the fields
 * the worker relies on. The rendered overlays are checked by {@link DeployFilesTest}.
 */
class ManifestsTest {

  private static final Path K8S =
      Path.of(System.getProperty("docpipe.repo.dir", "../.."), "deploy", "k8s");

  private static List<Object> load(Path file) throws IOException {
    return Yaml.loadAll(file.toFile());
  }

  private static List<Path> manifests() throws IOException {
    try (Stream<Path> files = Files.walk(K8S)) {
      return files
          .filter(p -> p.toString().endsWith(".yaml"))
          .filter(p -> !p.getFileName().toString().equals("kustomization.yaml"))
          // deploy/k8s/qdrant is checked rendered, with the overlays that include it
          // (DeployFilesTest).
          .filter(p -> !K8S.relativize(p).startsWith("qdrant"))
          // Managed Prometheus kinds (PodMonitoring, Rules) are not in the typed model; checked
          // by MonitoringFilesTest.
          .filter(
              p ->
                  !K8S.relativize(p).startsWith("monitoring")
                      || p.getFileName().toString().equals("networkpolicy.yaml"))
          .sorted()
          .toList();
    }
  }

  @Test
  void everyManifest_loadsIntoTheTypedModel() throws IOException {
    List<Path> files = manifests();
    assertThat(files).hasSizeGreaterThanOrEqualTo(8);
    for (Path file : files) {
      assertThat(load(file)).as(file.toString()).isNotEmpty().doesNotContainNull();
    }
  }

  @Test
  void theJobAndTheCronJob_areIndexed_retriedPerIndex_andRestricted() throws IOException {
    V1Job job = (V1Job) load(K8S.resolve("overlays/job/job.yaml")).get(0);
    SubmitAndStatusTest.assertIndexedJobSpec(job.getSpec(), 8, 4);
    assertThat(job.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .as("grace > DOCPIPE_SHUTDOWN_GRACE_SECONDS")
        .isEqualTo(30L);
    V1CronJob cron = (V1CronJob) load(K8S.resolve("overlays/nightly/cronjob.yaml")).get(0);
    assertThat(cron.getSpec().getConcurrencyPolicy()).isEqualTo("Forbid");
    SubmitAndStatusTest.assertIndexedJobSpec(cron.getSpec().getJobTemplate().getSpec(), 8, 4);
    SubmitAndStatusTest.assertTraceparentFromAnnotation(
        cron.getSpec().getJobTemplate().getSpec().getTemplate().getSpec());
    // The manifests and the submitter describe the same Job.
    V1Job submitted =
        JobSpecs.job(
            new JobSpecs.Request(
                "docpipe-index",
                "docpipe",
                "docpipe/docpipe-gke:0.1.0-SNAPSHOT",
                "/corpus",
                java.util.Optional.of("docpipe-corpus"),
                8,
                4,
                1,
                java.util.Optional.empty(),
                "docpipe-worker",
                3,
                1,
                "docpipe-settings",
                "docpipe-secrets",
                30,
                java.util.Optional.empty()));
    assertThat(job.getSpec().getPodFailurePolicy())
        .isEqualTo(submitted.getSpec().getPodFailurePolicy());
    // The manifests run the doc-builder sidecar (ADR 0024) and point the worker at it; the
    // submitter has no sidecar, so those two are the manifests' own.
    assertThat(job.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .filteredOn(e -> !List.of("DOCPIPE_EXTRACTION", "DOCPIPE_TIKA_URL").contains(e.getName()))
        .containsExactlyInAnyOrderElementsOf(
            submitted.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
    assertThat(
            cron.getSpec()
                .getJobTemplate()
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getEnv())
        .filteredOn(e -> !List.of("DOCPIPE_EXTRACTION", "DOCPIPE_TIKA_URL").contains(e.getName()))
        .containsExactlyInAnyOrderElementsOf(
            submitted.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv());
  }

  @Test
  void theRole_grantsCheckpointConfigMapsAndEvents_andNothingElse() throws IOException {
    V1Role role = (V1Role) load(K8S.resolve("overlays/job/role.yaml")).get(0);
    assertThat(role.getRules())
        .extracting(
            r ->
                r.getApiGroups()
                    + " "
                    + r.getResources()
                    + " "
                    + r.getResourceNames()
                    + " "
                    + r.getVerbs())
        .containsExactly(
            "[] [configmaps] [docpipe-index-checkpoints] [get, update]",
            "[] [configmaps] [] [create]",
            "[] [events] [] [create]");
    V1RoleBinding binding = (V1RoleBinding) load(K8S.resolve("base/rolebinding.yaml")).get(0);
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(s -> assertThat(s.getName()).isEqualTo("docpipe-worker"));
    assertThat(load(K8S.resolve("base/serviceaccount.yaml")).get(0))
        .isInstanceOf(V1ServiceAccount.class);
    V1NetworkPolicy policy = (V1NetworkPolicy) load(K8S.resolve("base/networkpolicy.yaml")).get(0);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress", "Egress");
    assertThat(policy.getSpec().getIngress()).isEmpty();
    V1Namespace ns = (V1Namespace) load(K8S.resolve("namespace/namespace.yaml")).get(0);
    assertThat(ns.getMetadata().getLabels())
        .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
  }
}
