package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.docpipe.testkit.EmbeddingsStandIn;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.EnvironmentReader;
import io.docpipe.wiring.SecretReader;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.observe.Tracing;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys rotated under a running service: the real service on 127.0.0.1:0, the real OpenAI and Qdrant
 * clients, an embeddings API stand-in and a Qdrant stand-in that start refusing the old keys. The
 * service reads the new keys within one refused call, from the secret store by ARN (the ECS path, a
 * stand-in reader) or from a mounted Secret's files (the GKE path), and every request and queued
 * job of the load that runs across the rotation succeeds.
 */
class SecretRotationServiceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPENAI_ARN =
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:openai-AbCdEf";
  private static final String QDRANT_ARN =
      "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/qdrant-api-key";

  @TempDir Path tmp;

  private EmbeddingsStandIn embeddings;
  private QdrantStandIn qdrant;
  private FargateService service;
  private SecretRotation secrets;

  @BeforeEach
  void standIns() {
    embeddings = EmbeddingsStandIn.start(16, "standin-16");
    embeddings.requireApiKey("sk-1");
    qdrant = QdrantStandIn.start("q-1");
  }

  @AfterEach
  void stop() {
    if (service != null) {
      service.close();
    }
    if (secrets != null) {
      secrets.close();
    }
    qdrant.close();
    embeddings.close();
  }

  private Map<String, String> environment() {
    Map<String, String> env = TestServices.env(tmp.resolve("index"), embeddings.env());
    env.remove("DOCPIPE_API_TOKENS"); // read from the secret store too
    env.put("DOCPIPE_VECTOR_STORE", "qdrant");
    env.put("DOCPIPE_QDRANT_HOST", qdrant.host());
    env.put("DOCPIPE_QDRANT_PORT", String.valueOf(qdrant.port()));
    env.put("DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS", "2");
    return env;
  }

  /** As {@code FargateMain} starts it, with the given secret reader. */
  private TestServices.Client start(Map<String, String> env, SecretReader reader) {
    secrets = SecretRotation.fromEnvironment(env, () -> reader, InstantSource.system());
    EnvironmentReader variables = new EnvironmentReader(secrets.environment());
    FargateSettings settings = Objects.requireNonNull(FargateSettings.read(variables));
    DocpipeConfig config = DocpipeConfig.fromEnvironment(variables);
    service =
        FargateService.start(
            FargateComponent.create(config, settings, Tracing.off("rotation-test"), secrets),
            Runnable::run);
    assertThat(service.state()).isEqualTo(Lifecycle.State.READY);
    return new TestServices.Client(service.port());
  }

  @Test
  void ecs_keysRotatedInTheSecretStore_areReadWithinOneRefusedCall_andNoRequestIsLost()
      throws Exception {
    Map<String, String> store = new ConcurrentHashMap<>();
    store.put(OPENAI_ARN, "sk-1");
    store.put(QDRANT_ARN, "q-1");
    String tokensArn = "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/api-tokens";
    store.put(tokensArn, WRITER + "," + READER + ":read");
    Map<String, String> env = environment();
    env.put(
        "DOCPIPE_SECRETS_FROM",
        "DOCPIPE_OPENAI_API_KEY="
            + OPENAI_ARN
            + ",DOCPIPE_QDRANT_API_KEY="
            + QDRANT_ARN
            + ",DOCPIPE_API_TOKENS="
            + tokensArn);
    TestServices.Client client = start(env, store::get);

    acrossTheRotation(
        client,
        () -> {
          store.put(OPENAI_ARN, "sk-2");
          store.put(QDRANT_ARN, "q-2");
        });
  }

  @Test
  void gke_keysRotatedInTheMountedSecret_areReadWithinOneRefusedCall_andNoRequestIsLost()
      throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("secrets"));
    // As the kubelet mounts a Secret: NAME -> ..data/NAME, ..data swapped in one rename.
    Path first = Files.createDirectory(dir.resolve("..2026_12_06_1"));
    Files.writeString(first.resolve("DOCPIPE_OPENAI_API_KEY"), "sk-1\n");
    Files.writeString(first.resolve("DOCPIPE_QDRANT_API_KEY"), "q-1\n");
    Files.writeString(first.resolve("DOCPIPE_API_TOKENS"), WRITER + "," + READER + ":read\n");
    Files.createSymbolicLink(dir.resolve("..data"), first.getFileName());
    for (String name :
        List.of("DOCPIPE_OPENAI_API_KEY", "DOCPIPE_QDRANT_API_KEY", "DOCPIPE_API_TOKENS")) {
      Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
    }
    Map<String, String> env = environment();
    env.put("DOCPIPE_SECRETS_DIR", dir.toString());
    TestServices.Client client =
        start(
            env,
            arn -> {
              throw new AssertionError("no ARN named");
            });

    acrossTheRotation(
        client,
        () -> {
          try {
            Path second = Files.createDirectory(dir.resolve("..2026_12_06_2"));
            Files.writeString(second.resolve("DOCPIPE_OPENAI_API_KEY"), "sk-2\n");
            Files.writeString(second.resolve("DOCPIPE_QDRANT_API_KEY"), "q-2\n");
            Files.writeString(
                second.resolve("DOCPIPE_API_TOKENS"), WRITER + "," + READER + ":read\n");
            Path link = Files.createSymbolicLink(dir.resolve("..data_tmp"), second.getFileName());
            Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }

  /**
   * Seeds the index, queues a job that is still running when the keys rotate, rotates them in the
   * store and at both services, then: the next search succeeds after exactly one refusal at each
   * service, and a concurrent load plus the queued job all succeed.
   */
  private void acrossTheRotation(TestServices.Client client, Runnable rotateInStore)
      throws Exception {
    HttpResponse<String> seeded =
        client.post(
            "/v1/documents",
            WRITER,
            "{\"documents\":[{\"id\":\"cats.md\",\"text\":\"Cats purr.\"},"
                + "{\"id\":\"rust.txt\",\"text\":\"Rust is memory safe.\"}]}");
    assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(200);
    assertThat(search(client, "cats").statusCode()).isEqualTo(200);

    // A job whose writes are slowed, so that it spans the rotation.
    qdrant.delayNextCalls(3, Duration.ofMillis(200));
    HttpResponse<String> accepted =
        client.post(
            "/v1/documents", WRITER, TestServices.documentsBody(6, "job-", "Queued document "));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String job = accepted.headers().firstValue("Location").orElseThrow();

    rotateInStore.run();
    embeddings.requireApiKey("sk-2");
    qdrant.requireApiKey("q-2");

    // The refresh interval is 15 minutes: only a refused call can make the service read again.
    assertThat(secrets.refreshInterval()).isEqualTo(Duration.ofMinutes(15));
    long embeddingRefusalsBefore = embeddings.refusedRequests();
    HttpResponse<String> first = search(client, "memory safety");
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(JSON.readTree(first.body()).get("hits").size()).isPositive();
    assertThat(embeddings.refusedRequests() - embeddingRefusalsBefore)
        .as("the first call after the rotation is refused once, then sent with the new key")
        .isLessThanOrEqualTo(1);

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<HttpResponse<String>>> load = new ArrayList<>();
      for (int i = 0; i < 24; i++) {
        int n = i;
        load.add(
            pool.submit(
                () ->
                    n % 4 == 0
                        ? client.post(
                            "/v1/documents",
                            WRITER,
                            "{\"documents\":[{\"id\":\"load-"
                                + n
                                + "\",\"text\":\"Document "
                                + n
                                + " written after the rotation\"}]}")
                        : search(client, "document " + n)));
      }
      for (Future<HttpResponse<String>> f : load) {
        HttpResponse<String> r = f.get(60, TimeUnit.SECONDS);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(
            Poll.until(
                Duration.ofSeconds(60),
                () ->
                    !client.get(job, READER).body().matches(".*\"status\":\"(queued|running)\".*")))
        .isTrue();
    JsonNode result = JSON.readTree(client.get(job, READER).body());
    assertThat(result.get("status").asText()).as(result.toString()).isEqualTo("succeeded");
    assertThat(result.get("result").get("indexed").asInt()).isEqualTo(6);
    assertThat(embeddings.refusedRequests())
        .as("at most one refusal per call in flight at the rotation (the search, the job)")
        .isLessThanOrEqualTo(2);
  }

  private static HttpResponse<String> search(TestServices.Client client, String query) {
    return client.post("/v1/search", READER, "{\"query\":\"" + query + "\",\"k\":3}");
  }
}
