package io.docpipe.s3;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Reads secrets by ARN from AWS's secret stores with the process's own role (the Lambda function's,
 * the ECS task's): SSM parameters ({@code GetParameter} with decryption) and Secrets Manager
 * secrets ({@code GetSecretValue}, the {@code SecretString}). A Secrets Manager ARN may end as ECS
 * writes {@code valueFrom}: {@code :json-key:version-stage:version-id}, each part optional. One
 * client per service and region, built on first use: the region is the ARN's, so a secret may live
 * in another region than the process.
 */
public final class AwsSecretStore implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final @Nullable URI endpoint;
  private final AwsCredentialsProvider credentials;
  private final Map<String, SdkClient> clients = new HashMap<>();

  private AwsSecretStore(@Nullable URI endpoint, AwsCredentialsProvider credentials) {
    this.endpoint = endpoint;
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  /** With the default credentials chain (the process's role) and AWS's endpoints. */
  public static AwsSecretStore withDefaultCredentials() {
    return new AwsSecretStore(null, DefaultCredentialsProvider.builder().build());
  }

  /** With an endpoint of its own (tests: a local stand-in) and the given credentials. */
  public static AwsSecretStore at(URI endpoint, AwsCredentialsProvider credentials) {
    return new AwsSecretStore(Objects.requireNonNull(endpoint, "endpoint"), credentials);
  }

  /**
   * The current value of the SSM parameter or Secrets Manager secret {@code arn}.
   *
   * @throws RuntimeException when the store refuses or cannot be reached, or the value is not a
   *     string; the message names the ARN but never a value
   */
  public synchronized String read(String arn) {
    SecretArn parsed = SecretArn.parse(arn);
    return switch (parsed.service()) {
      case "ssm" ->
          ((SsmClient) clients.computeIfAbsent("ssm/" + parsed.region(), k -> ssm(parsed.region())))
              .getParameter(r -> r.name(arn).withDecryption(true))
              .parameter()
              .value();
      case "secretsmanager" -> secretsManagerValue(arn, parsed.region());
      default -> throw new IllegalArgumentException("not an SSM or Secrets Manager ARN: " + arn);
    };
  }

  /** {@code arn:<p>:secretsmanager:<region>:<account>:secret:<name>[:json-key[:stage[:id]]]}. */
  private String secretsManagerValue(String arn, String region) {
    String[] parts = arn.split(":", -1);
    String secretId =
        String.join(":", java.util.Arrays.copyOfRange(parts, 0, Math.min(7, parts.length)));
    String jsonKey = parts.length > 7 ? parts[7] : "";
    String stage = parts.length > 8 ? parts[8] : "";
    String versionId = parts.length > 9 ? parts[9] : "";
    GetSecretValueRequest.Builder request = GetSecretValueRequest.builder().secretId(secretId);
    if (!stage.isEmpty()) {
      request.versionStage(stage);
    }
    if (!versionId.isEmpty()) {
      request.versionId(versionId);
    }
    String value =
        ((SecretsManagerClient)
                clients.computeIfAbsent("secretsmanager/" + region, k -> secretsManager(region)))
            .getSecretValue(request.build())
            .secretString();
    if (value == null) {
      throw new IllegalStateException(arn + " holds a binary secret; docpipe needs a string");
    }
    if (jsonKey.isEmpty()) {
      return value;
    }
    JsonNode field;
    try {
      field = JsonNode.parser().parse(value).asObject().get(jsonKey);
    } catch (RuntimeException e) {
      // The parser's message may quote the value: say only what is wrong.
      throw new IllegalStateException(
          arn + " names a JSON key, but its secret is not a JSON object");
    }
    if (field == null || !field.isString()) {
      throw new IllegalStateException(arn + ": its secret has no string field " + jsonKey);
    }
    return field.asString();
  }

  private SsmClient ssm(String region) {
    return configured(SsmClient.builder(), region);
  }

  private SecretsManagerClient secretsManager(String region) {
    return configured(SecretsManagerClient.builder(), region);
  }

  /** A client of the ARN's region, with this store's timeouts, credentials and endpoint. */
  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configured(
      B builder, String region) {
    builder
        .httpClient(http())
        .credentialsProvider(credentials)
        .region(Region.of(region))
        .overrideConfiguration(c -> c.apiCallTimeout(TIMEOUT.multipliedBy(2)));
    if (endpoint != null) {
      builder.endpointOverride(endpoint);
    }
    return builder.build();
  }

  private static SdkHttpClient http() {
    return UrlConnectionHttpClient.builder()
        .connectionTimeout(TIMEOUT)
        .socketTimeout(TIMEOUT)
        .build();
  }

  @Override
  public synchronized void close() {
    clients.values().forEach(SdkClient::close);
    clients.clear();
  }

  /** The parts of an ARN this store needs: {@code arn:<partition>:<service>:<region>:...}. */
  record SecretArn(String service, String region) {
    static SecretArn parse(String arn) {
      String[] parts = arn.split(":", 6);
      if (parts.length < 6 || !parts[0].equals("arn") || parts[3].isEmpty()) {
        throw new IllegalArgumentException("not an ARN with a region: " + arn);
      }
      return new SecretArn(parts[2], parts[3]);
    }
  }
}
