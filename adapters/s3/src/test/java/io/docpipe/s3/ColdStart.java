package io.docpipe.s3;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * For the cold-start measurement in docs/benchmarks.md (not a test): in a fresh JVM, builds an S3
 * client with the URL-connection ({@code url}, the adapter's own {@link S3Sources#client}) or the
 * Apache 5 ({@code apache}) HTTP client and fetches one object from {@code args[1]}; prints the JVM
 * uptime when main starts, the client build time and the first request's time, in milliseconds.
 */
public final class ColdStart {

  private ColdStart() {}

  public static void main(String[] args) throws Exception {
    long mainAt = ManagementFactory.getRuntimeMXBean().getUptime();
    long t0 = System.nanoTime();
    URI endpoint = URI.create(args[1]);
    StaticCredentialsProvider keys =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("k", "s"));
    S3Client s3 =
        switch (args[0]) {
          case "url" -> S3Sources.client(S3Settings.compatibleServer(endpoint, "us-east-1"), keys);
          case "apache" ->
              S3Client.builder()
                  .httpClient(
                      Apache5HttpClient.builder()
                          .connectionTimeout(Duration.ofSeconds(5))
                          .socketTimeout(Duration.ofSeconds(30))
                          .build())
                  .credentialsProvider(keys)
                  .forcePathStyle(true)
                  .region(Region.US_EAST_1)
                  .endpointOverride(endpoint)
                  .build();
          default -> throw new IllegalArgumentException("url or apache, not " + args[0]);
        };
    long t1 = System.nanoTime();
    ResponseBytes<GetObjectResponse> object =
        s3.getObjectAsBytes(b -> b.bucket("cold").key("doc.txt"));
    long t2 = System.nanoTime();
    s3.close();
    System.out.printf(
        "%s main-at=%d build=%.0f first-get=%.0f total-in-main=%.0f bytes=%d%n",
        args[0],
        mainAt,
        (t1 - t0) / 1e6,
        (t2 - t1) / 1e6,
        (t2 - t0) / 1e6,
        object.asByteArray().length);
  }
}
