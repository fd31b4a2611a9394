package io.docpipe.gke;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.harness.qdrant.QdrantStandIn;
import io.docpipe.testkit.EmbeddingsStandIn;
import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.EnvironmentReader;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.observe.Tracing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shard worker whose keys come from a mounted Secret (DOCPIPE_SECRETS_DIR): the keys are rotated
 * in the Secret and at the embeddings API and Qdrant stand-ins after the worker read them, and the
 * run reads the new ones on the first refusal (Qdrant's, when the store connects) and indexes every
 * document.
 */
class WorkerSecretRotationTest {

  @TempDir Path tmp;

  @Test
  void keysRotatedAfterTheStart_areReadOnTheFirstRefusal_andEveryDocumentIsIndexed()
      throws Exception {
    Path corpus = tmp.resolve("corpus");
    Workers.corpus(corpus, 12, 7);
    Path dir = Files.createDirectory(tmp.resolve("secrets"));
    mount(dir, "1");
    try (EmbeddingsStandIn embeddings = EmbeddingsStandIn.start(16, "standin-16");
        QdrantStandIn qdrant = QdrantStandIn.start("q-1")) {
      embeddings.requireApiKey("sk-1");
      Map<String, String> env = new HashMap<>(embeddings.env());
      env.put("DOCPIPE_SECRETS_DIR", dir.toString());
      env.put("DOCPIPE_CORPUS", corpus.toString());
      env.put("DOCPIPE_SHARD_BATCH_SIZE", "4");
      env.put("DOCPIPE_INDEX_DIR", tmp.resolve("index").toString());
      env.put("DOCPIPE_VECTOR_STORE", "qdrant");
      env.put("DOCPIPE_QDRANT_HOST", qdrant.host());
      env.put("DOCPIPE_QDRANT_PORT", String.valueOf(qdrant.port()));
      try (SecretRotation secrets =
          SecretRotation.fromEnvironment(
              env,
              () -> {
                throw new AssertionError("no ARN named");
              },
              InstantSource.system())) {
        // As WorkerCommand reads them: the keys from the folder, as they are at the start.
        EnvironmentReader reader = new EnvironmentReader(secrets.environment());
        WorkerSettings settings = Objects.requireNonNull(WorkerSettings.read(reader));
        DocpipeConfig config = DocpipeConfig.fromEnvironment(reader);
        assertThat(config.qdrant().orElseThrow().apiKey()).isEqualTo("q-1");

        // Rotated before the run connects: the kubelet's update, then the services' switch.
        mount(dir, "2");
        embeddings.requireApiKey("sk-2");
        qdrant.requireApiKey("q-2");

        ShardWorker.Outcome outcome =
            new ShardWorker(
                    settings,
                    config,
                    OutcomeLog.NONE,
                    WorkerMetrics.unserved().pipeline(),
                    Tracing.off("rotation-test"),
                    secrets)
                .run(() -> false);

        assertThat(outcome.exit()).as(outcome.summary()).isEqualTo(ExitCode.DONE);
        assertThat(qdrant.points("docpipe")).hasSize(12);
        assertThat(embeddings.refusedRequests())
            .as(
                "Qdrant refused the old key when the store connected; that read brought both new"
                    + " keys, so the embeddings API never saw the old one")
            .isZero();
      }
    }
  }

  @Test
  void secretsByArn_failTheStart_sayingToMountThemAsFiles_forTheWorkerCarriesNoAwsClients() {
    // The worker's classpath is the image's: docpipe-s3 without its optional SSM client.
    assertThatThrownBy(() -> Class.forName("software.amazon.awssdk.services.ssm.SsmClient"))
        .isInstanceOf(ClassNotFoundException.class);
    assertThatThrownBy(
            () ->
                SecretRotation.fromEnvironment(
                    Map.of(
                        "DOCPIPE_SECRETS_FROM",
                        "DOCPIPE_QDRANT_API_KEY=arn:aws:ssm:eu-central-1:123456789012:parameter/q")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_QDRANT_API_KEY")
        .hasMessageContaining("DOCPIPE_SECRETS_DIR");
  }

  /**
   * A Secret volume as the kubelet keeps it, at {@code generation}; later ones swap {@code ..data}.
   */
  private static void mount(Path dir, String generation) throws IOException {
    Path data = Files.createDirectory(dir.resolve("..2026_12_06_" + generation));
    Files.writeString(data.resolve("DOCPIPE_OPENAI_API_KEY"), "sk-" + generation + "\n");
    Files.writeString(data.resolve("DOCPIPE_QDRANT_API_KEY"), "q-" + generation + "\n");
    Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), data.getFileName());
    Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
    for (String name : List.of("DOCPIPE_OPENAI_API_KEY", "DOCPIPE_QDRANT_API_KEY")) {
      if (!Files.exists(dir.resolve(name), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
        Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
      }
    }
  }
}
