package io.docpipe.s3;

import io.docpipe.core.port.out.DocumentSource;
import java.net.URI;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** S3 objects as documents: clients, corpora under a prefix, and a source for any s3:// URI. */
public final class S3Sources {

  /** Keys per ListObjectsV2 page: S3's maximum. */
  public static final int PAGE_SIZE = 1000;

  private S3Sources() {}

  /**
   * An S3 client with the URL-connection HTTP client (light to load, see ADR 0011) and credentials
   * from the AWS default provider chain. The caller closes it.
   *
   * @throws IllegalArgumentException when no region is set and the default chain finds none
   */
  public static S3Client client(S3Settings settings) {
    return client(settings, DefaultCredentialsProvider.builder().build());
  }

  /** As {@link #client(S3Settings)}, with credentials from {@code credentials}. */
  public static S3Client client(S3Settings settings, AwsCredentialsProvider credentials) {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(credentials, "credentials");
    S3ClientBuilder builder =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(settings.connectTimeout())
                    .socketTimeout(settings.socketTimeout())
                    .build())
            .credentialsProvider(credentials)
            .forcePathStyle(settings.pathStyle())
            .overrideConfiguration(c -> c.apiCallTimeout(settings.apiCallTimeout()));
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    if (settings.region() != null) {
      builder.region(Region.of(settings.region()));
    }
    try {
      return builder.build();
    } catch (SdkClientException e) {
      throw new IllegalArgumentException(
          "cannot build an S3 client: " + e.getMessage() + " (set a region)", e);
    }
  }

  /**
   * The objects under {@code location}, {@code s3://bucket/prefix}: a prefix not ending in {@code
   * /} is taken as a folder ({@code s3://b/docs} lists {@code docs/…}, not {@code docs2/…}).
   *
   * @throws IllegalArgumentException when {@code location} is not an {@code s3://} URI
   */
  public static S3Corpus corpus(S3Client s3, URI location) {
    Objects.requireNonNull(s3, "s3");
    S3Location parsed = S3Location.parse(Objects.requireNonNull(location, "location"));
    String prefix = parsed.key();
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      prefix += "/";
    }
    return new PrefixCorpus(s3, parsed.bucket(), prefix, PAGE_SIZE);
  }

  /** Fetches any {@code s3://bucket/key} location that {@code s3}'s credentials can read. */
  public static DocumentSource source(S3Client s3) {
    return new S3Objects(Objects.requireNonNull(s3, "s3"));
  }
}
