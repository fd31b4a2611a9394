package io.docpipe.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.kubernetes.JobRef;
import io.docpipe.kubernetes.KubernetesSettings;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class KubernetesConfigTest {

  @Test
  void fileCheckpoints_areTheDefault() {
    DocpipeConfig config = DocpipeConfig.defaults();
    assertThat(config.checkpointStore()).isEqualTo(DocpipeConfig.CheckpointStoreKind.FILE);
    assertThat(config.kubernetes()).isEmpty();
  }

  @Test
  void configMapCheckpoints_nameTheirConfigMapAfterTheJob() {
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(
            Map.of(
                "DOCPIPE_CHECKPOINT_STORE", "configmap",
                "DOCPIPE_K8S_NAMESPACE", "search",
                "DOCPIPE_K8S_JOB_NAME", "index-handbook",
                "DOCPIPE_K8S_JOB_UID", "0f1e",
                "DOCPIPE_K8S_API_URL", "http://127.0.0.1:8001"));
    assertThat(config.checkpointStore()).isEqualTo(DocpipeConfig.CheckpointStoreKind.CONFIGMAP);
    assertThat(config.kubernetes())
        .contains(
            new DocpipeConfig.Kubernetes(
                new KubernetesSettings(Optional.of(URI.create("http://127.0.0.1:8001")), "search"),
                "index-handbook-checkpoints",
                Optional.of(new JobRef("index-handbook", Optional.of("0f1e")))));
  }

  @Test
  void anExplicitConfigMapName_winsOverTheJobsName() {
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(
            Map.of(
                "DOCPIPE_CHECKPOINT_STORE", "configmap",
                "DOCPIPE_CHECKPOINT_CONFIGMAP", "nightly",
                "DOCPIPE_K8S_JOB_NAME", "index-handbook"));
    assertThat(config.kubernetes().orElseThrow().checkpointConfigMap()).isEqualTo("nightly");
    assertThat(config.kubernetes().orElseThrow().cluster().namespace()).isEqualTo("default");
  }

  @Test
  void everyBadKubernetesSetting_isNamedInOneMessage() {
    assertThatThrownBy(
            () ->
                DocpipeConfig.fromEnvironment(
                    Map.of(
                        "DOCPIPE_CHECKPOINT_STORE", "configmap",
                        "DOCPIPE_K8S_NAMESPACE", "Not_A_Namespace",
                        "DOCPIPE_K8S_API_URL", "ftp://x",
                        "DOCPIPE_CHUNK_TOKENS", "0")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.startsWith("DOCPIPE_K8S_NAMESPACE='Not_A_Namespace'"))
                    .anyMatch(p -> p.startsWith("DOCPIPE_K8S_API_URL='ftp://x'"))
                    .anyMatch(p -> p.contains("needs DOCPIPE_CHECKPOINT_CONFIGMAP"))
                    .anyMatch(p -> p.startsWith("DOCPIPE_CHUNK_TOKENS")));
  }

  @Test
  void aBadConfigMapName_andAnUnknownStore_areRefused() {
    assertThatThrownBy(
            () ->
                DocpipeConfig.fromEnvironment(
                    Map.of(
                        "DOCPIPE_CHECKPOINT_STORE", "etcd",
                        "DOCPIPE_CHECKPOINT_CONFIGMAP", "Bad Name")))
        .isInstanceOfSatisfying(
            ConfigException.class,
            e ->
                assertThat(e.problems())
                    .anyMatch(p -> p.startsWith("DOCPIPE_CHECKPOINT_STORE='etcd' is not one of"))
                    .anyMatch(p -> p.startsWith("DOCPIPE_CHECKPOINT_CONFIGMAP='Bad Name'")));
  }
}
