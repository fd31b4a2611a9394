package io.docpipe.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How to reach S3. Credentials always come from the AWS default provider chain (environment, web
 * identity, container and instance roles, profiles) unless a caller passes its own provider.
 *
 * @param endpoint an S3-compatible server's base URL (MinIO, S3Mock, a VPC endpoint); {@code null}
 *     for AWS's own endpoints
 * @param region the bucket's region, e.g. {@code eu-west-1}; {@code null}: the AWS default region
 *     chain ({@code AWS_REGION}, profile, instance metadata)
 * @param pathStyle address buckets as {@code endpoint/bucket/key} instead of {@code
 *     bucket.endpoint/key}, as most S3-compatible servers need
 * @param connectTimeout time allowed to open one connection
 * @param socketTimeout longest silence while reading one response
 * @param apiCallTimeout wall time of one call, its retries included
 */
public record S3Settings(
    @Nullable URI endpoint,
    @Nullable String region,
    boolean pathStyle,
    Duration connectTimeout,
    Duration socketTimeout,
    Duration apiCallTimeout) {

  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  public static final Duration DEFAULT_SOCKET_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofMinutes(2);

  public S3Settings {
    if (endpoint != null) {
      String scheme = endpoint.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
          || endpoint.getHost() == null) {
        throw new IllegalArgumentException(
            "S3 endpoint must be an absolute http(s) URL, was " + endpoint);
      }
    }
    if (region != null && !region.matches("[a-z0-9-]{1,64}")) {
      throw new IllegalArgumentException("not an AWS region name: '" + region + "'");
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(socketTimeout, "socketTimeout");
    requirePositive(apiCallTimeout, "apiCallTimeout");
  }

  /** AWS's endpoints, the default region chain, virtual-host addressing, default timeouts. */
  public static S3Settings defaults() {
    return new S3Settings(
        null,
        null,
        false,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_SOCKET_TIMEOUT,
        DEFAULT_API_CALL_TIMEOUT);
  }

  /** An S3-compatible server at {@code endpoint}, path-style, in {@code region}. */
  public static S3Settings compatibleServer(URI endpoint, String region) {
    return new S3Settings(
        endpoint,
        region,
        true,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_SOCKET_TIMEOUT,
        DEFAULT_API_CALL_TIMEOUT);
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }
}
