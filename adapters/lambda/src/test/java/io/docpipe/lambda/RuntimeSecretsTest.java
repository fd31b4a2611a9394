package io.docpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Secrets read at run time by the real SSM and Secrets Manager clients, against a local stand-in
 * speaking their JSON protocol on 127.0.0.1; and the embedded-index refusal.
 */
class RuntimeSecretsTest {

  private static final String SSM_ARN =
      "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/openai-api-key";
  private static final String SM_ARN =
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf";

  /** ARN → value the stand-in serves; an absent ARN is answered as not found. */
  private final Map<String, String> store = new ConcurrentHashMap<>();

  private final AtomicReference<Instant> now =
      new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
  private HttpServer server;

  @BeforeEach
  void startStandIn() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    ObjectMapper json = new ObjectMapper();
    server.createContext(
        "/",
        exchange -> {
          String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
          JsonNode request = json.readTree(exchange.getRequestBody());
          String id =
              "AmazonSSM.GetParameter".equals(target)
                  ? request.path("Name").asText()
                  : request.path("SecretId").asText();
          String value = store.get(id);
          String body;
          int status = 200;
          if (value == null) {
            status = 400;
            body =
                json.writeValueAsString(
                    Map.of("__type", "ResourceNotFoundException", "message", "no " + id));
          } else if ("AmazonSSM.GetParameter".equals(target)) {
            body =
                json.writeValueAsString(
                    Map.of(
                        "Parameter", Map.of("Name", id, "Type", "SecureString", "Value", value)));
          } else {
            body =
                json.writeValueAsString(Map.of("ARN", id, "Name", "qdrant", "SecretString", value));
          }
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
          exchange.sendResponseHeaders(status, bytes.length);
          exchange.getResponseBody().write(bytes);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RuntimeSecrets secrets(Map<String, String> env) {
    URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return RuntimeSecrets.fromEnvironment(
            env,
            () ->
                new AwsSecretReader(
                    endpoint,
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test"))),
            now::get)
        .orElseThrow();
  }

  private static Map<String, String> sharedStoreEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("DOCPIPE_VECTOR_STORE", "qdrant");
    env.put("DOCPIPE_QDRANT_HOST", "qdrant.internal");
    env.put("DOCPIPE_EMBEDDING", "openai");
    env.put(
        RuntimeSecrets.SECRETS_FROM,
        "DOCPIPE_OPENAI_API_KEY=" + SSM_ARN + ",DOCPIPE_QDRANT_API_KEY=" + SM_ARN);
    env.put(RuntimeSecrets.REFRESH, "5m");
    return env;
  }

  @Test
  void secretsNamedByArn_areReadAtStart_intoTheConfiguration() {
    store.put(SSM_ARN, "sk-from-ssm");
    store.put(SM_ARN, "qdrant-from-secrets-manager");
    Map<String, String> env = sharedStoreEnvironment();
    try (RuntimeSecrets secrets = secrets(env)) {
      DocpipeConfig config = LambdaEnvironment.configuration(env, secrets.read());
      assertThat(config.openAi().orElseThrow().apiKey()).isEqualTo("sk-from-ssm");
      assertThat(config.qdrant().orElseThrow().apiKey()).isEqualTo("qdrant-from-secrets-manager");
    }
  }

  @Test
  void rotatedSecret_isPickedUpAfterTheRefreshInterval_andAFailedReReadKeepsTheOldValue() {
    store.put(SSM_ARN, "key-1");
    store.put(SM_ARN, "qdrant-1");
    try (RuntimeSecrets secrets = secrets(sharedStoreEnvironment())) {
      secrets.read();
      store.put(SSM_ARN, "key-2");
      now.set(now.get().plus(Duration.ofMinutes(4)));
      assertThat(secrets.changed()).as("before the interval").isEmpty();
      now.set(now.get().plus(Duration.ofMinutes(2)));
      assertThat(secrets.changed())
          .hasValueSatisfying(v -> assertThat(v).containsEntry("DOCPIPE_OPENAI_API_KEY", "key-2"));
      now.set(now.get().plus(Duration.ofMinutes(6)));
      assertThat(secrets.changed()).as("nothing changed").isEmpty();
      store.remove(SM_ARN);
      now.set(now.get().plus(Duration.ofMinutes(6)));
      assertThat(secrets.changed()).as("store refuses: keep what works").isEmpty();
    }
  }

  @Test
  void unreadableSecret_failsTheStart_namingTheVariableAndArn_butNoValue() {
    store.put(SSM_ARN, "sk-secret-value");
    try (RuntimeSecrets secrets = secrets(sharedStoreEnvironment())) {
      assertThatThrownBy(secrets::read)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("DOCPIPE_QDRANT_API_KEY")
          .hasMessageContaining(SM_ARN)
          .hasMessageNotContaining("sk-secret-value");
    }
  }

  @Test
  void malformedReferences_areRefused_namingTheVariable() {
    assertThatThrownBy(
            () ->
                RuntimeSecrets.fromEnvironment(
                    Map.of(RuntimeSecrets.SECRETS_FROM, "DOCPIPE_OPENAI_API_KEY=sk-plain-value"),
                    () -> {
                      throw new AssertionError("no reader for a malformed reference");
                    },
                    Instant::now))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(RuntimeSecrets.SECRETS_FROM);
    assertThat(RuntimeSecrets.fromEnvironment(Map.of(), () -> null, Instant::now)).isEmpty();
  }

  @Test
  void embeddedIndex_isRefused_withWhatToSet_unlessExplicitlyAllowed() {
    assertThatThrownBy(() -> LambdaEnvironment.configuration(Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_VECTOR_STORE=qdrant")
        .hasMessageContaining("DOCPIPE_ALLOW_EPHEMERAL_INDEX=true");
    assertThatThrownBy(
            () ->
                LambdaEnvironment.configuration(
                    Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "false"), Map.of()))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(
            () ->
                LambdaEnvironment.configuration(
                    Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "yes"), Map.of()))
        .hasMessageContaining("must be true or false");
    assertThat(
            LambdaEnvironment.configuration(
                    Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true"), Map.of())
                .vectorStore())
        .isEqualTo(DocpipeConfig.VectorStoreKind.LUCENE);
    assertThat(
            LambdaEnvironment.configuration(
                    Map.of("DOCPIPE_VECTOR_STORE", "qdrant", "DOCPIPE_QDRANT_HOST", "q"), Map.of())
                .vectorStore())
        .isEqualTo(DocpipeConfig.VectorStoreKind.QDRANT);
  }
}
