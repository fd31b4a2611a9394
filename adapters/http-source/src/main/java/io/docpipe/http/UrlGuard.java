package io.docpipe.http;

import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.SourceException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether a URL may be fetched and, if so, exactly which addresses may be connected to. All
 * checks happen before any connection: scheme, user info, port, host syntax, then every address the
 * host resolves to (a name is resolved once here, and the connection goes to one of these very
 * addresses, so a second lookup cannot change the answer).
 */
final class UrlGuard {

  /** A URL that passed the guard, and the checked addresses to connect to. */
  record Target(
      URI uri,
      boolean tls,
      String host,
      boolean hostIsName,
      int port,
      List<InetAddress> addresses,
      String requestTarget,
      String hostHeader) {}

  private final boolean allowHttp;
  private final Set<Integer> allowedPorts;
  private final AllowList allowList;
  private final HostResolver resolver;

  UrlGuard(HttpSourceSettings settings) {
    this.allowHttp = settings.allowHttp();
    this.allowedPorts = settings.allowedPorts();
    this.allowList = AllowList.parse(settings.allowList());
    this.resolver = settings.resolver();
  }

  /**
   * The target of {@code uri}, or a {@link SourceException} with {@link
   * FailureReason#INVALID_INPUT} telling why it is refused.
   *
   * @throws SourceException also with {@link FailureReason#SOURCE_UNAVAILABLE} when the host name
   *     cannot be resolved now
   */
  Target check(URI uri) throws SourceException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    boolean tls;
    switch (scheme) {
      case "https" -> tls = true;
      case "http" -> {
        if (!allowHttp) {
          throw refused(uri, "plain http is not allowed (only https); allow it in the settings");
        }
        tls = false;
      }
      case "" -> throw refused(uri, "not an absolute URL");
      default ->
          throw refused(
              uri,
              "scheme '"
                  + scheme
                  + "' is not allowed; only https"
                  + (allowHttp ? " and http" : ""));
    }
    if (uri.isOpaque()) {
      throw refused(uri, "not a hierarchical URL");
    }
    String authority = uri.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw refused(uri, "no host");
    }
    if (authority.indexOf('@') >= 0) {
      throw refused(uri, "user info in a URL (user@host) is not allowed");
    }
    if (authority.indexOf('%') >= 0) {
      throw refused(uri, "a percent-encoded host is not allowed");
    }
    String host;
    String portText;
    boolean ipv6Literal = authority.startsWith("[");
    if (ipv6Literal) {
      int close = authority.indexOf(']');
      if (close < 0) {
        throw refused(uri, "malformed IPv6 host");
      }
      host = authority.substring(1, close);
      String rest = authority.substring(close + 1);
      if (!rest.isEmpty() && !rest.startsWith(":")) {
        throw refused(uri, "malformed authority");
      }
      portText = rest.isEmpty() ? null : rest.substring(1);
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      portText = colon < 0 ? null : authority.substring(colon + 1);
    }
    int port = port(uri, portText, tls);
    if (!allowedPorts.contains(port)) {
      throw refused(uri, "port " + port + " is not allowed; allowed ports: " + allowedPorts);
    }
    host = host.toLowerCase(Locale.ROOT);
    if (!ipv6Literal) {
      try {
        // Before the numeric test: IDNA maps full-width digits to ASCII ones.
        host = Hosts.asciiHostName(host);
      } catch (IllegalArgumentException e) {
        throw refused(uri, java.util.Objects.requireNonNullElse(e.getMessage(), e.toString()));
      }
    }
    List<InetAddress> addresses;
    boolean hostIsName = false;
    if (ipv6Literal) {
      addresses = List.of(ipv6Literal(uri, host));
    } else if (Hosts.looksNumeric(host)) {
      byte[] ipv4 = Hosts.canonicalIpv4(host);
      if (ipv4 == null) {
        String reading = Hosts.inetAtonReading(host);
        throw refused(
            uri,
            "host '"
                + host
                + "' is a non-canonical IPv4 form"
                + (reading == null ? "" : " (resolvers read it as " + reading + ")")
                + "; only dotted decimal a.b.c.d is accepted");
      }
      try {
        addresses = List.of(InetAddress.getByAddress(ipv4));
      } catch (UnknownHostException e) {
        throw new IllegalStateException("four bytes are an address", e);
      }
    } else {
      hostIsName = true;
      addresses = resolve(uri, host);
    }
    if (!(hostIsName && allowList.permitsHost(host))) {
      for (InetAddress address : addresses) {
        if (allowList.permitsAddress(address)) {
          continue;
        }
        String why = AddressRanges.refusal(address);
        if (why != null) {
          throw refused(
              uri,
              (hostIsName ? "host " + host + " resolves to " : "address ")
                  + address.getHostAddress()
                  + ", "
                  + why
                  + "; add it to the allow-list if it must be reached");
        }
      }
    }
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String requestTarget = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
    String hostInHeader = ipv6Literal ? "[" + host + "]" : host;
    boolean defaultPort = port == (tls ? 443 : 80);
    String hostHeader = defaultPort ? hostInHeader : hostInHeader + ":" + port;
    return new Target(uri, tls, host, hostIsName, port, addresses, requestTarget, hostHeader);
  }

  private static int port(URI uri, @Nullable String portText, boolean tls) throws SourceException {
    if (portText == null || portText.isEmpty()) {
      return tls ? 443 : 80;
    }
    if (!portText.matches("[0-9]{1,5}")) {
      throw refused(uri, "malformed port '" + portText + "'");
    }
    int port = Integer.parseInt(portText);
    if (port < 1 || port > 65_535) {
      throw refused(uri, "port out of range: " + port);
    }
    return port;
  }

  private static InetAddress ipv6Literal(URI uri, String host) throws SourceException {
    if (host.indexOf(':') < 0 || !host.matches("[0-9a-f:.]+")) {
      throw refused(uri, "malformed IPv6 address '" + host + "'");
    }
    try {
      // Contains ':' and only hex digits, colons and dots: parsed as a literal, never looked up.
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw refused(uri, "malformed IPv6 address '" + host + "'");
    }
  }

  private List<InetAddress> resolve(URI uri, String host) throws SourceException {
    List<InetAddress> addresses;
    try {
      addresses = List.copyOf(resolver.resolve(host));
    } catch (UnknownHostException e) {
      throw new SourceException(
          FailureReason.SOURCE_UNAVAILABLE,
          "cannot fetch " + Urls.redacted(uri) + ": host " + host + " cannot be resolved",
          e);
    }
    if (addresses.isEmpty()) {
      throw new SourceException(
          FailureReason.SOURCE_UNAVAILABLE,
          "cannot fetch " + Urls.redacted(uri) + ": host " + host + " has no address");
    }
    return addresses;
  }

  static SourceException refused(URI uri, String why) {
    return new SourceException(
        FailureReason.INVALID_INPUT, "refused to fetch " + Urls.redacted(uri) + ": " + why);
  }
}
