package io.docpipe.wiring;

import io.docpipe.http.HttpSourceSettings;
import io.docpipe.s3.S3Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where documents may be fetched from besides local files: S3 ({@code DOCPIPE_S3_*}) and URLs
 * ({@code DOCPIPE_HTTP_SOURCE_*}). Credentials for S3 come from the AWS default provider chain,
 * never from here.
 */
public record SourceConfig(SourceConfig.S3 s3, SourceConfig.Http http) {

  public SourceConfig {
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(http, "http");
  }

  /**
   * @param endpoint an S3-compatible server ({@code DOCPIPE_S3_ENDPOINT}); absent: AWS
   * @param region the buckets' region ({@code DOCPIPE_S3_REGION}); absent: AWS default chain
   * @param pathStyle path-style bucket addressing ({@code DOCPIPE_S3_PATH_STYLE}); default: on
   *     exactly when an endpoint is set
   */
  public record S3(Optional<URI> endpoint, Optional<String> region, boolean pathStyle) {
    public S3 {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(region, "region");
    }

    S3Settings settings() {
      S3Settings defaults = S3Settings.defaults();
      return new S3Settings(
          endpoint.orElse(null),
          region.orElse(null),
          pathStyle,
          defaults.connectTimeout(),
          defaults.socketTimeout(),
          defaults.apiCallTimeout());
    }
  }

  /**
   * @param allowHttp fetch plain {@code http://} too ({@code DOCPIPE_HTTP_SOURCE_ALLOW_HTTP})
   * @param allowHosts host names and CIDR blocks reachable although private ({@code
   *     DOCPIPE_HTTP_SOURCE_ALLOW_HOSTS})
   * @param allowPorts the only ports URLs may use ({@code DOCPIPE_HTTP_SOURCE_ALLOW_PORTS})
   * @param maxRedirects redirects followed per document ({@code DOCPIPE_HTTP_SOURCE_MAX_REDIRECTS})
   * @param connectTimeout {@code DOCPIPE_HTTP_SOURCE_CONNECT_TIMEOUT}
   * @param readTimeout {@code DOCPIPE_HTTP_SOURCE_READ_TIMEOUT}
   * @param totalTimeout per document, all hops and the body ({@code
   *     DOCPIPE_HTTP_SOURCE_TOTAL_TIMEOUT})
   */
  public record Http(
      boolean allowHttp,
      List<String> allowHosts,
      Set<Integer> allowPorts,
      int maxRedirects,
      Duration connectTimeout,
      Duration readTimeout,
      Duration totalTimeout) {
    public Http {
      allowHosts = List.copyOf(allowHosts);
      allowPorts = Set.copyOf(allowPorts);
    }

    HttpSourceSettings settings() {
      return HttpSourceSettings.defaults()
          .withAllowHttp(allowHttp)
          .withAllowList(allowHosts)
          .withAllowedPorts(allowPorts)
          .withMaxRedirects(maxRedirects)
          .withTimeouts(connectTimeout, readTimeout, totalTimeout);
    }
  }

  static SourceConfig read(EnvironmentReader r) {
    Optional<URI> endpoint =
        Optional.ofNullable(r.uri("DOCPIPE_S3_ENDPOINT", NO_URI)).filter(u -> u != NO_URI);
    String region = r.string("DOCPIPE_S3_REGION", "");
    if (!region.isEmpty() && !region.matches("[a-z0-9-]{1,64}")) {
      r.problem("DOCPIPE_S3_REGION='" + region + "' is not an AWS region name such as eu-west-1");
      region = "";
    }
    boolean pathStyle = r.bool("DOCPIPE_S3_PATH_STYLE", endpoint.isPresent());

    HttpSourceSettings d = HttpSourceSettings.defaults();
    boolean allowHttp = r.bool("DOCPIPE_HTTP_SOURCE_ALLOW_HTTP", false);
    List<String> allowHosts = r.list("DOCPIPE_HTTP_SOURCE_ALLOW_HOSTS");
    Set<Integer> ports = new TreeSet<>();
    List<String> portItems = r.list("DOCPIPE_HTTP_SOURCE_ALLOW_PORTS");
    for (String item : portItems) {
      try {
        int port = Integer.parseInt(item);
        if (port < 1 || port > 65_535) {
          throw new NumberFormatException();
        }
        ports.add(port);
      } catch (NumberFormatException e) {
        r.problem("DOCPIPE_HTTP_SOURCE_ALLOW_PORTS has '" + item + "', not a port from 1 to 65535");
      }
    }
    if (portItems.isEmpty()) {
      ports.addAll(HttpSourceSettings.DEFAULT_PORTS);
    }
    int maxRedirects =
        r.integer(
            "DOCPIPE_HTTP_SOURCE_MAX_REDIRECTS",
            HttpSourceSettings.DEFAULT_MAX_REDIRECTS,
            0,
            HttpSourceSettings.MAX_REDIRECTS_LIMIT);
    Duration min = Duration.ofMillis(1);
    Duration max = Duration.ofHours(1);
    Duration connect =
        r.duration("DOCPIPE_HTTP_SOURCE_CONNECT_TIMEOUT", d.connectTimeout(), min, max);
    Duration read = r.duration("DOCPIPE_HTTP_SOURCE_READ_TIMEOUT", d.readTimeout(), min, max);
    Duration total = r.duration("DOCPIPE_HTTP_SOURCE_TOTAL_TIMEOUT", d.totalTimeout(), min, max);
    Http http = new Http(allowHttp, allowHosts, ports, maxRedirects, connect, read, total);
    try {
      http.settings(); // checks every allow-list entry
    } catch (IllegalArgumentException e) {
      r.problem("DOCPIPE_HTTP_SOURCE_ALLOW_HOSTS: " + e.getMessage());
      http = new Http(allowHttp, List.of(), ports, maxRedirects, connect, read, total);
    }
    return new SourceConfig(
        new S3(endpoint, region.isEmpty() ? Optional.empty() : Optional.of(region), pathStyle),
        http);
  }

  private static final URI NO_URI = URI.create("none:absent");
}
