package io.docpipe.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Secrets read by ARN with the real SSM and Secrets Manager clients, against a local stand-in
 * speaking their JSON protocol on 127.0.0.1.
 */
class AwsSecretStoreTest {

  private static final String SSM_ARN =
      "arn:aws:ssm:eu-central-1:123456789012:parameter/docpipe/openai-api-key";
  private static final String SM_ARN =
      "arn:aws:secretsmanager:eu-central-1:123456789012:secret:qdrant-AbCdEf";

  /** ARN → value the stand-in serves; an absent ARN is answered as not found. */
  private final Map<String, String> store = new ConcurrentHashMap<>();

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

  private AwsSecretStore store() {
    return AwsSecretStore.at(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")));
  }

  @Test
  void ssmParameterAndSecretsManagerSecret_areReadByArn_throughTheRealClients() {
    store.put(SSM_ARN, "sk-from-ssm");
    store.put(SM_ARN, "qdrant-from-secrets-manager");
    try (AwsSecretStore secrets = store()) {
      assertThat(secrets.read(SSM_ARN)).isEqualTo("sk-from-ssm");
      assertThat(secrets.read(SM_ARN)).isEqualTo("qdrant-from-secrets-manager");
      store.put(SSM_ARN, "sk-rotated");
      assertThat(secrets.read(SSM_ARN)).as("read again, not cached").isEqualTo("sk-rotated");
    }
  }

  @Test
  void secretsManagerArnWithAJsonKey_asEcsWritesIt_readsThatFieldOfTheSecret() {
    store.put(SM_ARN, "{\"apiKey\":\"qdrant-json-field\",\"other\":\"x\"}");
    try (AwsSecretStore secrets = store()) {
      assertThat(secrets.read(SM_ARN + ":apiKey::")).isEqualTo("qdrant-json-field");
      assertThatThrownBy(() -> secrets.read(SM_ARN + ":missing::"))
          .hasMessageContaining("missing")
          .hasMessageNotContaining("qdrant-json-field");
    }
  }

  @Test
  void refusedOrMissingSecret_failsNamingTheArn_butNoValue() {
    store.put(SSM_ARN, "sk-secret-value");
    try (AwsSecretStore secrets = store()) {
      assertThatThrownBy(() -> secrets.read(SM_ARN)).hasMessageNotContaining("sk-secret-value");
      assertThatThrownBy(() -> secrets.read("arn:aws:sqs:eu-central-1:1:queue"))
          .hasMessageContaining("arn:aws:sqs");
    }
  }
}
