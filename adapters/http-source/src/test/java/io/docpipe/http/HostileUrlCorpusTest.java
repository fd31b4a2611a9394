package io.docpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile URL corpus: cloud metadata endpoints spelt every way, loopback and private addresses,
 * names that resolve to them, user-info tricks, disallowed ports and schemes. Every one is refused
 * with {@code INVALID_INPUT} and a reason, before any connection: the loopback server that several
 * of them point at (its port allowed, http allowed) never sees a request. The allow-listed name of
 * the same server is fetched, so the guard is not simply refusing everything.
 */
class HostileUrlCorpusTest {

  @TempDir static Path temp;
  @AutoClose private static LoopbackServers servers;
  private FixedResolver resolver;
  private DocumentSource source;

  /** A hostile URL and a fragment its refusal must contain. */
  record Hostile(String url, String because) {}

  @BeforeAll
  static void start() throws Exception {
    servers = new LoopbackServers(temp);
    servers.serve(
        "/doc.txt", 200, "text/plain", "the allowed document".getBytes(StandardCharsets.UTF_8));
  }

  @BeforeEach
  void newSource() {
    resolver =
        new FixedResolver(
            Map.of(
                LoopbackServers.CERT_HOST,
                List.of("127.0.0.1"),
                "internal.example.test",
                List.of("10.0.0.5"),
                "rebind.example.test",
                List.of("93.184.216.34", "127.0.0.1"),
                "metadata.example.test",
                List.of("169.254.169.254"),
                "ec2v6.example.test",
                List.of("fd00:ec2::254"),
                "public.example.test",
                List.of("93.184.216.34")));
    source =
        HttpSources.source(
            HttpSourceSettings.defaults()
                .withAllowHttp(true)
                .withAllowedPorts(Set.of(80, 443, servers.httpPort(), servers.httpsPort()))
                .withAllowList(List.of(LoopbackServers.CERT_HOST))
                .withResolver(resolver)
                .withSslContext(servers.clientTls()));
  }

  static List<Hostile> corpus(int port) {
    String p = ":" + port;
    String metadataForm = "resolvers read it as 169.254.169.254";
    return List.of(
        // AWS/GCP/Azure metadata endpoint, in every spelling
        new Hostile("http://169.254.169.254/latest/meta-data/", "link-local"),
        new Hostile("http://169.254.169.254" + p + "/", "link-local"),
        new Hostile("http://2852039166/latest/meta-data/", metadataForm),
        new Hostile("http://0xA9FEA9FE/", metadataForm),
        new Hostile("http://0xa9.0xfe.0xa9.0xfe/", metadataForm),
        new Hostile("http://0251.0376.0251.0376/", metadataForm),
        new Hostile("http://0251.254.43518/", metadataForm),
        new Hostile("http://169.254.43518/", metadataForm),
        new Hostile("http://169.254.169.254./", "link-local"),
        new Hostile("http://[::ffff:169.254.169.254]/", "link-local"),
        new Hostile("http://[::ffff:a9fe:a9fe]/", "link-local"),
        new Hostile("http://[0:0:0:0:0:ffff:169.254.169.254]/", "link-local"),
        new Hostile("http://[64:ff9b::a9fe:a9fe]/", "NAT64 address embedding 169.254.169.254"),
        new Hostile("http://[2002:a9fe:a9fe::1]/", "6to4 address embedding 169.254.169.254"),
        new Hostile("http://[fd00:ec2::254]/latest/meta-data/", "unique-local"),
        new Hostile("http://metadata.example.test/", "resolves to 169.254.169.254"),
        new Hostile("http://ec2v6.example.test/", "resolves to fd00:ec2:0:0:0:0:0:254"),
        // loopback, spelt every way, at the live test server's port
        new Hostile("http://127.0.0.1" + p + "/doc.txt", "loopback"),
        new Hostile("http://127.1" + p + "/doc.txt", "resolvers read it as 127.0.0.1"),
        new Hostile("http://2130706433" + p + "/doc.txt", "resolvers read it as 127.0.0.1"),
        new Hostile("http://0x7f000001" + p + "/doc.txt", "resolvers read it as 127.0.0.1"),
        new Hostile("http://017700000001" + p + "/doc.txt", "resolvers read it as 127.0.0.1"),
        new Hostile("http://127.0.0.2" + p + "/doc.txt", "loopback"),
        new Hostile("http://[::1]" + p + "/doc.txt", "loopback"),
        new Hostile("http://[0:0:0:0:0:0:0:1]" + p + "/doc.txt", "loopback"),
        new Hostile("http://[::ffff:127.0.0.1]" + p + "/doc.txt", "loopback"),
        new Hostile("http://[::127.0.0.1]" + p + "/doc.txt", "IPv4-compatible"),
        new Hostile("http://localhost" + p + "/doc.txt", "loopback"),
        new Hostile("http://LOCALHOST" + p + "/doc.txt", "loopback"),
        new Hostile("http://0.0.0.0" + p + "/doc.txt", "unspecified"),
        new Hostile("http://0" + p + "/doc.txt", "resolvers read it as 0.0.0.0"),
        new Hostile("http://[::]" + p + "/doc.txt", "unspecified"),
        new Hostile("http://\uFF11\uFF12\uFF17.0.0.1" + p + "/doc.txt", "percent-encoded host"),
        new Hostile("http://%31%32%37.0.0.1" + p + "/doc.txt", "percent-encoded host"),
        // user info tricks
        new Hostile("http://evil@127.0.0.1" + p + "/doc.txt", "user info"),
        new Hostile(
            "http://" + LoopbackServers.CERT_HOST + "@127.0.0.1" + p + "/doc.txt", "user info"),
        new Hostile("http://user:pass@" + LoopbackServers.CERT_HOST + p + "/doc.txt", "user info"),
        // private, shared, multicast, reserved
        new Hostile("http://10.0.0.1/", "private address (10.0.0.0/8)"),
        new Hostile("http://172.16.0.1/", "private address (172.16.0.0/12)"),
        new Hostile("http://172.31.255.255/", "private address (172.16.0.0/12)"),
        new Hostile("http://192.168.1.1/", "private address (192.168.0.0/16)"),
        new Hostile("http://100.64.0.1/", "carrier-grade NAT"),
        new Hostile("http://224.0.0.1/", "multicast"),
        new Hostile("http://255.255.255.255/", "broadcast"),
        new Hostile("http://[fe80::1]/", "link-local address (fe80::/10)"),
        new Hostile("http://[fc00::1]/", "unique-local"),
        new Hostile("http://[ff02::1]/", "multicast"),
        // names that resolve to private addresses (DNS rebinding: one bad address is enough)
        new Hostile("http://internal.example.test/", "resolves to 10.0.0.5, a private address"),
        new Hostile(
            "http://rebind.example.test" + p + "/doc.txt", "resolves to 127.0.0.1, a loopback"),
        // ports and schemes
        new Hostile("https://public.example.test:22/", "port 22 is not allowed"),
        new Hostile("http://public.example.test:6379/", "port 6379 is not allowed"),
        new Hostile("http://public.example.test:0/", "port out of range"),
        new Hostile("http://public.example.test:8o/", "malformed port"),
        new Hostile("http://public.example.test:99999/", "port out of range"),
        new Hostile("file:///etc/passwd", "scheme 'file' is not allowed"),
        new Hostile("file://localhost/etc/passwd", "scheme 'file' is not allowed"),
        new Hostile("gopher://127.0.0.1:70/_GET%20/", "scheme 'gopher' is not allowed"),
        new Hostile("ftp://public.example.test/file.txt", "scheme 'ftp' is not allowed"),
        new Hostile("jar:http://public.example.test/x.jar!/a", "scheme 'jar' is not allowed"),
        new Hostile("dict://127.0.0.1:11211/stat", "scheme 'dict' is not allowed"),
        new Hostile("ldap://127.0.0.1/", "scheme 'ldap' is not allowed"),
        new Hostile("//127.0.0.1/doc.txt", "not an absolute URL"));
  }

  @Test
  void everyHostileUrl_isRefusedWithAReason_beforeAnyConnection() {
    List<Hostile> corpus = corpus(servers.httpPort());
    int hitsBefore = servers.totalHits();
    List<String> notRefused = new ArrayList<>();
    for (Hostile hostile : corpus) {
      SourceException refusal =
          catchThrowableOfType(SourceException.class, () -> fetch(source, hostile.url()));
      if (refusal == null
          || refusal.reason() != FailureReason.INVALID_INPUT
          || !refusal.getMessage().contains(hostile.because())) {
        notRefused.add(
            hostile.url()
                + " -> "
                + (refusal == null ? "fetched" : refusal.reason() + ": " + refusal.getMessage()));
      }
    }

    assertThat(notRefused).as("hostile URLs not refused as expected").isEmpty();
    assertThat(corpus).hasSizeGreaterThan(50);
    assertThat(servers.totalHits() - hitsBefore)
        .as("requests that reached the loopback server")
        .isZero();
    assertThat(resolver.asked())
        .as("names looked up")
        .containsOnly(
            "metadata.example.test",
            "ec2v6.example.test",
            "localhost",
            "internal.example.test",
            "rebind.example.test");
  }

  @Test
  void plainHttp_isRefusedUnlessAllowed() {
    int hitsBefore = servers.totalHits();
    DocumentSource httpsOnly =
        HttpSources.source(
            HttpSourceSettings.defaults()
                .withAllowedPorts(Set.of(servers.httpPort()))
                .withAllowList(List.of(LoopbackServers.CERT_HOST))
                .withResolver(resolver));

    SourceException refusal =
        catchThrowableOfType(
            SourceException.class,
            () ->
                fetch(
                    httpsOnly,
                    "http://" + LoopbackServers.CERT_HOST + ":" + servers.httpPort() + "/doc.txt"));

    assertThat(refusal.reason()).isEqualTo(FailureReason.INVALID_INPUT);
    assertThat(refusal.getMessage()).contains("plain http is not allowed");
    assertThat(servers.totalHits() - hitsBefore).isZero();
  }

  @Test
  void theAllowListedHttpsUrlOnLoopback_isFetched() throws Exception {
    var document =
        fetch(
            source,
            "https://" + LoopbackServers.CERT_HOST + ":" + servers.httpsPort() + "/doc.txt");

    assertThat(document.content().toByteArray())
        .isEqualTo("the allowed document".getBytes(StandardCharsets.UTF_8));
    assertThat(document.mediaType()).isEqualTo("text/plain");
    assertThat(resolver.asked()).containsExactly(LoopbackServers.CERT_HOST);
  }

  static io.docpipe.core.model.Document fetch(DocumentSource source, String url)
      throws SourceException {
    return source.fetch(DocumentRef.of(DocumentId.of("doc"), URI.create(url)), 1 << 20);
  }
}
