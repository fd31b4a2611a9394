package io.docpipe.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.docpipe.testkit.EmbeddingsStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secrets read at run time from a mounted folder and by ARN, read again after the interval and on a
 * refused call; the clients built from them follow, against the real embeddings and Qdrant clients
 * talking to stand-ins that rotate their keys.
 */
class SecretRotationTest {

  private static final String ARN =
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf";

  @TempDir Path tmp;

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-12-06T00:00:00Z"));
  private final InstantSource clock = () -> now.get();

  private SecretRotation rotation(Map<String, String> env) {
    return SecretRotation.fromEnvironment(
        env,
        () -> {
          throw new AssertionError("no ARN named");
        },
        clock);
  }

  @Test
  void mountedSecretFolder_isReadAtStart_andARotatedFileAfterTheInterval() throws Exception {
    SecretFolder folder =
        new SecretFolder(
            Files.createDirectory(tmp.resolve("secrets")),
            Map.of(
                "DOCPIPE_QDRANT_API_KEY",
                "q-1",
                "DOCPIPE_OPENAI_API_KEY",
                "",
                "tls.crt",
                "not a setting"));
    Map<String, String> env =
        Map.of("DOCPIPE_SECRETS_DIR", folder.dir().toString(), "DOCPIPE_SECRETS_REFRESH", "5m");
    try (SecretRotation secrets = rotation(env)) {
      assertThat(secrets.active()).isTrue();
      assertThat(secrets.names())
          .as("an empty key is an unset setting; tls.crt is no setting")
          .containsExactly("DOCPIPE_QDRANT_API_KEY");
      assertThat(secrets.environment())
          .containsEntry("DOCPIPE_QDRANT_API_KEY", "q-1")
          .doesNotContainKeys("DOCPIPE_SECRETS_DIR", "DOCPIPE_SECRETS_REFRESH");

      folder.rotate(Map.of("DOCPIPE_QDRANT_API_KEY", "q-2"));
      now.set(now.get().plus(Duration.ofMinutes(4)));
      assertThat(secrets.refreshIfDue()).as("before the interval").isFalse();
      assertThat(secrets.environment()).containsEntry("DOCPIPE_QDRANT_API_KEY", "q-1");
      now.set(now.get().plus(Duration.ofMinutes(2)));
      assertThat(secrets.refreshIfDue()).isTrue();
      assertThat(secrets.environment()).containsEntry("DOCPIPE_QDRANT_API_KEY", "q-2");
      now.set(now.get().plus(Duration.ofMinutes(6)));
      assertThat(secrets.refreshIfDue()).as("nothing changed").isFalse();
    }
  }

  @Test
  void failedReRead_keepsTheValuesInUse() throws Exception {
    SecretFolder folder =
        new SecretFolder(
            Files.createDirectory(tmp.resolve("secrets")), Map.of("DOCPIPE_QDRANT_API_KEY", "q-1"));
    try (SecretRotation secrets =
        rotation(Map.of("DOCPIPE_SECRETS_DIR", folder.dir().toString()))) {
      folder.rotate(Map.of("DOCPIPE_QDRANT_API_KEY", " "));
      now.set(now.get().plus(Duration.ofMinutes(16)));
      assertThat(secrets.refreshIfDue()).as("a key emptied is no rotation").isFalse();
      assertThat(secrets.environment()).containsEntry("DOCPIPE_QDRANT_API_KEY", "q-1");
      Files.delete(folder.dir().resolve("DOCPIPE_QDRANT_API_KEY"));
      now.set(now.get().plus(Duration.ofMinutes(16)));
      assertThat(secrets.refreshIfDue()).as("nor is a key removed").isFalse();
      assertThat(secrets.environment()).containsEntry("DOCPIPE_QDRANT_API_KEY", "q-1");
    }
  }

  @Test
  void secretsByArn_areReadWithTheReader_andAnUnreadableOneFailsTheStartNamingIt() {
    Map<String, String> store = new ConcurrentHashMap<>(Map.of(ARN, "q-from-sm"));
    SecretReader reader = store::get;
    Map<String, String> env = Map.of("DOCPIPE_SECRETS_FROM", "DOCPIPE_QDRANT_API_KEY=" + ARN);
    try (SecretRotation secrets = SecretRotation.fromEnvironment(env, () -> reader, clock)) {
      assertThat(secrets.environment()).containsEntry("DOCPIPE_QDRANT_API_KEY", "q-from-sm");
    }
    store.clear();
    assertThatThrownBy(() -> SecretRotation.fromEnvironment(env, () -> reader, clock))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_QDRANT_API_KEY")
        .hasMessageContaining(ARN);
  }

  @Test
  void malformedSettings_areRefused_namingTheVariable() {
    assertThatThrownBy(
            () -> rotation(Map.of("DOCPIPE_SECRETS_FROM", "DOCPIPE_OPENAI_API_KEY=sk-plain")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_SECRETS_FROM")
        .hasMessageContaining("DOCPIPE_OPENAI_API_KEY")
        .hasMessageNotContaining("sk-plain"); // a value pasted in place of its ARN
    assertThatThrownBy(
            () ->
                rotation(
                    Map.of("DOCPIPE_SECRETS_DIR", tmp.toString(), "DOCPIPE_SECRETS_REFRESH", "5s")))
        .hasMessageContaining("DOCPIPE_SECRETS_REFRESH='5s' must be at least 10s");
    assertThatThrownBy(
            () -> rotation(Map.of("DOCPIPE_SECRETS_DIR", tmp.resolve("absent").toString())))
        .hasMessageContaining("DOCPIPE_SECRETS_DIR");
    try (SecretRotation none = rotation(Map.of("DOCPIPE_INDEX_DIR", "x"))) {
      assertThat(none.active()).isFalse();
      assertThat(none.refreshIfDue()).isFalse();
      assertThat(none.environment()).isEqualTo(Map.of("DOCPIPE_INDEX_DIR", "x"));
    }
  }

  @Test
  void embeddingsApiRefusingTheOldKey_isAnsweredWithTheRotatedKey_withinOneRefusedCall()
      throws Exception {
    try (EmbeddingsStandIn api = EmbeddingsStandIn.start(8, "standin-8")) {
      api.requireApiKey("sk-1");
      SecretFolder folder = keyFolder("DOCPIPE_OPENAI_API_KEY", "sk-1");
      try (SecretRotation secrets = rotation(reading(folder, api.env()))) {
        DocpipeConfig config = DocpipeConfig.fromEnvironment(secrets.environment());
        EmbeddingModel model = DocpipeModule.embeddingModel(config, Optional.of(secrets));
        assertThat(model.embed(List.of("before"))).hasSize(1);

        folder.rotate(Map.of("DOCPIPE_OPENAI_API_KEY", "sk-2"));
        api.requireApiKey("sk-2");
        assertThat(model.embed(List.of("after"))).hasSize(1);
        assertThat(api.refusedRequests()).as("one refused call, then the new key").isEqualTo(1);
        assertThat(model.embed(List.of("again"))).hasSize(1);
        assertThat(api.refusedRequests()).isEqualTo(1);
        ((AutoCloseable) model).close();
      }
    }
  }

  @Test
  void aKeyStillRefusedAfterTheReRead_failsTheCall_withoutRetryingForever() throws Exception {
    try (EmbeddingsStandIn api = EmbeddingsStandIn.start(8, "standin-8")) {
      api.requireApiKey("sk-1");
      SecretFolder folder = keyFolder("DOCPIPE_OPENAI_API_KEY", "sk-1");
      try (SecretRotation secrets = rotation(reading(folder, api.env()))) {
        EmbeddingModel model =
            DocpipeModule.embeddingModel(
                DocpipeConfig.fromEnvironment(secrets.environment()), Optional.of(secrets));
        api.requireApiKey("sk-revoked-but-not-yet-stored");
        assertThatThrownBy(() -> model.embed(List.of("x"))).hasMessageContaining("HTTP 401");
        assertThat(api.refusedRequests()).isEqualTo(1);
        assertThatThrownBy(() -> model.embed(List.of("y"))).hasMessageContaining("HTTP 401");
        assertThat(api.refusedRequests())
            .as("no second read within the pause, so no second attempt")
            .isEqualTo(2);
        ((AutoCloseable) model).close();
      }
    }
  }

  @Test
  void qdrantRefusingTheOldKey_isAnsweredWithTheRotatedKey_byArn() {
    Map<String, String> store = new ConcurrentHashMap<>(Map.of(ARN, "q-1"));
    SecretReader reader = store::get;
    try (QdrantStandIn qdrant = QdrantStandIn.start("q-1")) {
      Map<String, String> env = new HashMap<>();
      env.put("DOCPIPE_VECTOR_STORE", "qdrant");
      env.put("DOCPIPE_QDRANT_HOST", qdrant.host());
      env.put("DOCPIPE_QDRANT_PORT", String.valueOf(qdrant.port()));
      env.put("DOCPIPE_SECRETS_FROM", "DOCPIPE_QDRANT_API_KEY=" + ARN);
      try (SecretRotation secrets = SecretRotation.fromEnvironment(env, () -> reader, clock)) {
        DocpipeConfig config = DocpipeConfig.fromEnvironment(secrets.environment());
        try (VectorStore vectors =
            DocpipeModule.vectorStore(config, StatedModel.FOUR_DIMENSIONS, Optional.of(secrets))) {
          vectors.write(List.of(document("a")));
          store.put(ARN, "q-2");
          qdrant.requireApiKey("q-2");
          vectors.write(List.of(document("b")));
          assertThat(vectors.count()).isEqualTo(2);
          assertThat(
                  vectors.search(
                      new VectorQuery(
                          new float[] {1, 0, 0, 0}, 5, MetadataFilter.none(), null, false)))
              .hasSize(2);
        }
      }
    }
  }

  private static DocumentWrite document(String name) {
    DocumentId id = DocumentId.of(name);
    ContentHash hash = ContentHash.of(name);
    PointPayload payload = new PointPayload(id, hash, 0, "text " + name, 0, 6, "src", Map.of());
    return new DocumentWrite(
        id, hash, List.of(new Point(payload.pointId(), new float[] {1, 0, 0, 0}, payload)), 1);
  }

  /** A mounted-Secret folder holding one key. */
  private SecretFolder keyFolder(String name, String value) throws IOException {
    return new SecretFolder(Files.createDirectory(tmp.resolve("secrets")), Map.of(name, value));
  }

  /** {@code env} plus {@code DOCPIPE_SECRETS_DIR} naming the folder. */
  private static Map<String, String> reading(SecretFolder folder, Map<String, String> env) {
    Map<String, String> withFolder = new HashMap<>(env);
    withFolder.put("DOCPIPE_SECRETS_DIR", folder.dir().toString());
    return withFolder;
  }
}
