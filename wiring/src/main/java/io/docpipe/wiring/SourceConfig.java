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
 * ({@code DOCPIPE_HTTP_SOURCE_*}), as the adapters' own settings. Credentials for S3 come from the
 * AWS default provider chain, never from here.
 *
 * @param s3 the S3 adapter's settings: endpoint ({@code DOCPIPE_S3_ENDPOINT}; absent: AWS), region
 *     ({@code DOCPIPE_S3_REGION}; absent: AWS default chain), path-style addressing ({@code
 *     DOCPIPE_S3_PATH_STYLE}; default: on exactly when an endpoint is set)
 * @param http the HTTP source's settings: {@code DOCPIPE_HTTP_SOURCE_ALLOW_HTTP}, {@code
 *     _ALLOW_HOSTS}, {@code _ALLOW_PORTS}, {@code _MAX_REDIRECTS}, {@code _CONNECT_TIMEOUT}, {@code
 *     _READ_TIMEOUT}, {@code _TOTAL_TIMEOUT}
 */
public record SourceConfig(S3Settings s3, HttpSourceSettings http) {

  public SourceConfig {
    Objects.requireNonNull(s3, "s3");
    Objects.requireNonNull(http, "http");
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
    HttpSourceSettings http = d;
    try {
      // checks every allow-list entry
      http =
          d.withAllowHttp(allowHttp)
              .withAllowList(allowHosts)
              .withAllowedPorts(ports)
              .withMaxRedirects(maxRedirects)
              .withTimeouts(connect, read, total);
    } catch (IllegalArgumentException e) {
      r.problem("DOCPIPE_HTTP_SOURCE_ALLOW_HOSTS: " + e.getMessage());
    }
    S3Settings defaults = S3Settings.defaults();
    return new SourceConfig(
        new S3Settings(
            endpoint.orElse(null),
            region.isEmpty() ? null : region,
            pathStyle,
            defaults.connectTimeout(),
            defaults.socketTimeout(),
            defaults.apiCallTimeout()),
        http);
  }

  private static final URI NO_URI = URI.create("none:absent");
}
