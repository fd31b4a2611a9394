package io.docpipe.http;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;

/**
 * What the HTTP source may fetch and how long and how much it may read.
 *
 * @param allowHttp whether plain {@code http://} is fetched at all ({@code https://} always is)
 * @param allowedPorts the only ports a URL (or a redirect) may name, default ports included
 * @param allowList host names (exact, case-insensitive) and addresses or CIDR blocks ({@code
 *     10.1.0.0/16}, {@code fd12::/16}) that may be reached although they are private, loopback or
 *     otherwise refused; empty by default
 * @param maxRedirects redirects followed for one document (each one checked again)
 * @param connectTimeout time allowed to open one connection (TLS handshake included)
 * @param readTimeout longest silence while reading one response
 * @param totalTimeout wall time for one document, all hops and the whole body included: when it
 *     passes the socket is closed, whatever the peer is doing (a handshake or a TLS record fed one
 *     byte at a time included)
 * @param resolver how host names become addresses; asked once per hop
 * @param sslContext TLS trust and keys; {@code null}: the JDK's default (the system trust store)
 */
public record HttpSourceSettings(
    boolean allowHttp,
    Set<Integer> allowedPorts,
    List<String> allowList,
    int maxRedirects,
    Duration connectTimeout,
    Duration readTimeout,
    Duration totalTimeout,
    HostResolver resolver,
    @Nullable SSLContext sslContext) {

  /** Ports allowed by default: the default ports of {@code https} and {@code http}. */
  public static final Set<Integer> DEFAULT_PORTS = Set.of(443, 80);

  public static final int DEFAULT_MAX_REDIRECTS = 5;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(2);

  /** The most redirects that may be configured. */
  public static final int MAX_REDIRECTS_LIMIT = 20;

  public HttpSourceSettings {
    allowedPorts = Set.copyOf(new TreeSet<>(Objects.requireNonNull(allowedPorts, "allowedPorts")));
    for (int port : allowedPorts) {
      if (port < 1 || port > 65_535) {
        throw new IllegalArgumentException("allowed port out of range 1..65535: " + port);
      }
    }
    allowList = List.copyOf(Objects.requireNonNull(allowList, "allowList"));
    AllowList.parse(allowList); // fails on a malformed entry, naming it
    if (maxRedirects < 0 || maxRedirects > MAX_REDIRECTS_LIMIT) {
      throw new IllegalArgumentException(
          "maxRedirects must be in 0.." + MAX_REDIRECTS_LIMIT + ", was " + maxRedirects);
    }
    requirePositive(connectTimeout, "connectTimeout");
    requirePositive(readTimeout, "readTimeout");
    requirePositive(totalTimeout, "totalTimeout");
    Objects.requireNonNull(resolver, "resolver");
  }

  /** https only, default ports, no allow-list, the system resolver and trust store. */
  public static HttpSourceSettings defaults() {
    return new HttpSourceSettings(
        false,
        DEFAULT_PORTS,
        List.of(),
        DEFAULT_MAX_REDIRECTS,
        DEFAULT_CONNECT_TIMEOUT,
        DEFAULT_READ_TIMEOUT,
        DEFAULT_TOTAL_TIMEOUT,
        HostResolver.SYSTEM,
        null);
  }

  public HttpSourceSettings withAllowHttp(boolean allow) {
    Draft draft = new Draft(this);
    draft.allowHttp = allow;
    return draft.settings();
  }

  public HttpSourceSettings withAllowedPorts(Set<Integer> ports) {
    Draft draft = new Draft(this);
    draft.allowedPorts = ports;
    return draft.settings();
  }

  public HttpSourceSettings withAllowList(List<String> entries) {
    Draft draft = new Draft(this);
    draft.allowList = entries;
    return draft.settings();
  }

  public HttpSourceSettings withMaxRedirects(int redirects) {
    Draft draft = new Draft(this);
    draft.maxRedirects = redirects;
    return draft.settings();
  }

  public HttpSourceSettings withTimeouts(Duration connect, Duration read, Duration total) {
    Draft draft = new Draft(this);
    draft.connectTimeout = connect;
    draft.readTimeout = read;
    draft.totalTimeout = total;
    return draft.settings();
  }

  public HttpSourceSettings withResolver(HostResolver hostResolver) {
    Draft draft = new Draft(this);
    draft.resolver = hostResolver;
    return draft.settings();
  }

  public HttpSourceSettings withSslContext(SSLContext context) {
    Draft draft = new Draft(this);
    draft.sslContext = Objects.requireNonNull(context, "context");
    return draft.settings();
  }

  private static void requirePositive(Duration duration, String name) {
    Objects.requireNonNull(duration, name);
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + duration);
    }
  }

  /** A copy of every setting, changed in a few places and checked again as a whole. */
  private static final class Draft {
    private boolean allowHttp;
    private Set<Integer> allowedPorts;
    private List<String> allowList;
    private int maxRedirects;
    private Duration connectTimeout;
    private Duration readTimeout;
    private Duration totalTimeout;
    private HostResolver resolver;
    private @Nullable SSLContext sslContext;

    private Draft(HttpSourceSettings from) {
      allowHttp = from.allowHttp;
      allowedPorts = from.allowedPorts;
      allowList = from.allowList;
      maxRedirects = from.maxRedirects;
      connectTimeout = from.connectTimeout;
      readTimeout = from.readTimeout;
      totalTimeout = from.totalTimeout;
      resolver = from.resolver;
      sslContext = from.sslContext;
    }

    private HttpSourceSettings settings() {
      return new HttpSourceSettings(
          allowHttp,
          allowedPorts,
          allowList,
          maxRedirects,
          connectTimeout,
          readTimeout,
          totalTimeout,
          resolver,
          sslContext);
    }
  }
}
