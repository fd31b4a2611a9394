package io.docpipe.lambda;

import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * Reads SSM parameters ({@code GetParameter} with decryption) and Secrets Manager secrets ({@code
 * GetSecretValue}, the {@code SecretString}) with the function's own role. One client per service
 * and region, built on first use: the region is the ARN's, so a secret may live in another region.
 */
final class AwsSecretReader implements SecretReader {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final @Nullable URI endpoint;
  private final AwsCredentialsProvider credentials;
  private final Map<String, SdkClient> clients = new HashMap<>();

  /** With the default credentials chain (the function's role) and AWS's endpoints. */
  AwsSecretReader() {
    this(null, DefaultCredentialsProvider.builder().build());
  }

  /** With an endpoint of its own (tests: a local stand-in) and given credentials. */
  AwsSecretReader(@Nullable URI endpoint, AwsCredentialsProvider credentials) {
    this.endpoint = endpoint;
    this.credentials = Objects.requireNonNull(credentials, "credentials");
  }

  @Override
  public synchronized String read(String arn) {
    SecretArn parsed = SecretArn.parse(arn);
    return switch (parsed.service()) {
      case "ssm" ->
          ((SsmClient) clients.computeIfAbsent("ssm/" + parsed.region(), k -> ssm(parsed.region())))
              .getParameter(r -> r.name(arn).withDecryption(true))
              .parameter()
              .value();
      case "secretsmanager" -> {
        String value =
            ((SecretsManagerClient)
                    clients.computeIfAbsent(
                        "secretsmanager/" + parsed.region(), k -> secretsManager(parsed.region())))
                .getSecretValue(r -> r.secretId(arn))
                .secretString();
        if (value == null) {
          throw new IllegalStateException(arn + " holds a binary secret; docpipe needs a string");
        }
        yield value;
      }
      default -> throw new IllegalArgumentException("not an SSM or Secrets Manager ARN: " + arn);
    };
  }

  private SsmClient ssm(String region) {
    return configured(SsmClient.builder(), region);
  }

  private SecretsManagerClient secretsManager(String region) {
    return configured(SecretsManagerClient.builder(), region);
  }

  /** A client of the ARN's region, with this reader's timeouts, credentials and endpoint. */
  private <
          B extends
              software.amazon.awssdk.awscore.client.builder.AwsClientBuilder<B, C>
                  & software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder<B, C>,
          C>
      C configured(B builder, String region) {
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

  private static software.amazon.awssdk.http.SdkHttpClient http() {
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

  /** The parts of an ARN this reader needs: {@code arn:<partition>:<service>:<region>:...}. */
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
