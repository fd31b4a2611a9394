package io.docpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Fetching through the guard from real HTTP and HTTPS servers on loopback. */
class GuardedHttpSourceTest {

  private static final String HOST = LoopbackServers.CERT_HOST;
  private static final String OTHER_HOST = "other.example.test";

  @TempDir static Path temp;
  @AutoClose private static LoopbackServers servers;

  private final CountDownLatch release = new CountDownLatch(1);
  private DocumentSource source;

  @BeforeAll
  static void start() throws Exception {
    servers = new LoopbackServers(temp);
  }

  @BeforeEach
  void newSource() {
    source = source(settings());
  }

  @AfterEach
  void releaseStuckHandlers() {
    release.countDown();
  }

  private static HttpSourceSettings settings() {
    return HttpSourceSettings.defaults()
        .withAllowHttp(true)
        .withAllowedPorts(Set.of(80, 443, servers.httpPort(), servers.httpsPort()))
        .withAllowList(List.of(HOST, OTHER_HOST))
        .withResolver(
            new FixedResolver(Map.of(HOST, List.of("127.0.0.1"), OTHER_HOST, List.of("127.0.0.1"))))
        .withSslContext(servers.clientTls());
  }

  private static DocumentSource source(HttpSourceSettings settings) {
    return HttpSources.source(settings);
  }

  private static String https(String path) {
    return "https://" + HOST + ":" + servers.httpsPort() + path;
  }

  private static String http(String path) {
    return "http://" + HOST + ":" + servers.httpPort() + path;
  }

  private Document fetch(String url, long maxBytes) throws SourceException {
    return source.fetch(
        new DocumentRef(DocumentId.of("doc"), URI.create(url), Map.of("team", "docs"), null),
        maxBytes);
  }

  private SourceException failure(String url, long maxBytes) {
    SourceException e = catchThrowableOfType(SourceException.class, () -> fetch(url, maxBytes));
    assertThat(e).as("fetching %s fails", url).isNotNull();
    return e;
  }

  @Test
  void https_fetchesTheBytes_mediaType_etag_andKeepsTheRefsMetadata() throws Exception {
    byte[] body = "# Guide\n\nhello\n".getBytes(StandardCharsets.UTF_8);
    servers.serve("/guide", 200, "text/markdown; charset=utf-8", body);

    Document document = fetch(https("/guide?version=2"), 1 << 20);

    assertThat(document.content().toByteArray()).isEqualTo(body);
    assertThat(document.mediaType()).isEqualTo("text/markdown");
    assertThat(document.id()).isEqualTo(DocumentId.of("doc"));
    assertThat(document.metadata())
        .containsEntry("team", "docs")
        .containsEntry("etag", "\"v1-" + body.length + "\"")
        .containsEntry("url", https("/guide?…"));
  }

  @Test
  void mediaType_fallsBackToTheExtension_whenTheServerSaysOctetStream() throws Exception {
    servers.serve(
        "/notes.md", 200, "application/octet-stream", "x".getBytes(StandardCharsets.UTF_8));

    assertThat(fetch(https("/notes.md"), 100).mediaType()).isEqualTo("text/markdown");
  }

  @Test
  void redirects_onAllowedHosts_areFollowed() throws Exception {
    servers.serve("/final.txt", 200, "text/plain", "final".getBytes(StandardCharsets.UTF_8));
    servers.redirect("/r1", 301, "/r2");
    servers.redirect("/r2", 307, "http://" + OTHER_HOST + ":" + servers.httpPort() + "/r3");
    servers.redirect("/r3", 302, "/final.txt");
    int before = servers.hits("/final.txt");

    Document document = fetch(https("/r1"), 100);

    assertThat(new String(document.content().toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("final");
    assertThat(servers.hits("/final.txt") - before).isEqualTo(1);
  }

  @Test
  void aRedirectToLoopbackOrMetadata_isRefusedAtTheHop() {
    servers.serve("/secret", 200, "text/plain", "secret".getBytes(StandardCharsets.UTF_8));
    Map<String, String> hops =
        Map.of(
            "/to-loopback", "http://127.0.0.1:" + servers.httpPort() + "/secret",
            "/to-localhost", "http://localhost:" + servers.httpPort() + "/secret",
            "/to-v6-loopback", "http://[::1]:" + servers.httpPort() + "/secret",
            "/to-metadata", "http://169.254.169.254/latest/meta-data/iam/",
            "/to-metadata-hex", "http://0xA9FEA9FE/latest/meta-data/",
            "/to-file", "file:///etc/passwd",
            "/to-userinfo", "http://" + HOST + "@127.0.0.1:" + servers.httpPort() + "/secret");
    hops.forEach((path, location) -> servers.redirect(path, 302, location));

    for (String path : hops.keySet()) {
      int before = servers.hits(path);
      SourceException refusal = failure(https(path), 100);

      assertThat(refusal.reason()).as(path).isEqualTo(FailureReason.INVALID_INPUT);
      assertThat(refusal.getMessage()).as(path).startsWith("refused to fetch");
      assertThat(servers.hits(path) - before).as("the redirecting hop was asked once").isEqualTo(1);
    }
    assertThat(servers.hits("/secret")).as("requests that reached the redirect target").isZero();
  }

  @Test
  void redirects_areCapped() {
    servers.redirect("/loop", 302, "/loop");
    source = source(settings().withMaxRedirects(3));
    int before = servers.hits("/loop");

    SourceException refusal = failure(https("/loop"), 100);

    assertThat(refusal.reason()).isEqualTo(FailureReason.INVALID_INPUT);
    assertThat(refusal.getMessage()).contains("more than 3 redirects");
    assertThat(servers.hits("/loop") - before).isEqualTo(4);
  }

  @Test
  void aDeclaredLengthOverTheLimit_isTooLarge_andExactlyTheLimitFits() throws Exception {
    byte[] body = new byte[1000];
    Arrays.fill(body, (byte) 'a');
    servers.serve("/thousand", 200, "text/plain", body);

    assertThat(failure(https("/thousand"), 999).reason()).isEqualTo(FailureReason.TOO_LARGE);
    assertThat(fetch(https("/thousand"), 1000).content().size()).isEqualTo(1000);
  }

  @Test
  void aChunkedBodyOverTheLimit_isTooLarge_withoutReadingItAll() throws Exception {
    servers.on(
        "/endless",
        exchange -> {
          exchange.sendResponseHeaders(200, 0); // chunked, no length
          byte[] block = new byte[8192];
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 10_000; i++) { // 80 MB at most; the client stops long before
              out.write(block);
            }
          } catch (java.io.IOException clientHungUp) {
            // expected: the client stops reading at the limit
          }
        });
    servers.on(
        "/chunked",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 10; i++) {
              out.write("0123456789".getBytes(StandardCharsets.US_ASCII));
              out.flush();
            }
          }
        });

    SourceException tooLarge = failure(https("/endless"), 100_000);

    assertThat(tooLarge.reason()).isEqualTo(FailureReason.TOO_LARGE);
    assertThat(tooLarge.getMessage()).contains("more than 100000 bytes");
    assertThat(fetch(https("/chunked"), 100).content().size()).isEqualTo(100);
    assertThat(failure(https("/chunked"), 99).reason()).isEqualTo(FailureReason.TOO_LARGE);
  }

  @Test
  void statuses_mapToFailureReasons() {
    servers.serve("/gone", 410, "text/plain", new byte[0]);
    servers.serve("/busy", 503, "text/plain", new byte[0]);
    servers.serve("/limited", 429, "text/plain", new byte[0]);
    servers.serve("/denied", 403, "text/plain", new byte[0]);
    servers.serve("/bad", 400, "text/plain", new byte[0]);

    assertThat(failure(https("/missing"), 10).reason()).isEqualTo(FailureReason.NOT_FOUND);
    assertThat(failure(https("/gone"), 10).reason()).isEqualTo(FailureReason.NOT_FOUND);
    assertThat(failure(https("/busy"), 10).reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(failure(https("/limited"), 10).reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(failure(https("/denied"), 10).reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(failure(https("/bad"), 10).reason()).isEqualTo(FailureReason.INVALID_INPUT);
  }

  @Test
  void aServerThatNeverAnswers_timesOut() {
    servers.on(
        "/stuck",
        exchange -> {
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.close();
        });
    source =
        source(
            settings()
                .withTimeouts(
                    Duration.ofSeconds(2), Duration.ofMillis(300), Duration.ofSeconds(5)));

    long start = System.nanoTime();
    SourceException timeout = failure(https("/stuck"), 100);

    assertThat(timeout.reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(timeout.getMessage()).contains("timed out");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aServerThatDripsBytes_isCutOffByTheTotalTimeCap() {
    servers.on(
        "/drip",
        exchange -> {
          exchange.sendResponseHeaders(200, 0);
          try (OutputStream out = exchange.getResponseBody()) {
            for (int i = 0; i < 200; i++) { // 20 s at most; the client gives up after 1 s
              out.write('x');
              out.flush();
              if (release.await(100, TimeUnit.MILLISECONDS)) {
                break;
              }
            }
          } catch (java.io.IOException | InterruptedException clientGone) {
            // expected once the client gives up
          }
        });
    source =
        source(
            settings()
                .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(1)));

    long start = System.nanoTime();
    SourceException timeout = failure(http("/drip"), 1 << 20);

    assertThat(timeout.reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(timeout.getMessage()).contains("total time");
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("cut off by the 1 s total cap, long before the 5 s read timeout")
        .isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void tls_checksTheCertificateAgainstTheUrlsHostName_notTheAddress() {
    servers.serve("/doc", 200, "text/plain", "x".getBytes(StandardCharsets.UTF_8));

    // other.example.test resolves to the same loopback address, but the certificate does not name
    // it
    SourceException mismatch =
        failure("https://" + OTHER_HOST + ":" + servers.httpsPort() + "/doc", 100);
    // the JDK's default trust store does not know the test certificate
    source = source(settings().withSslContext(defaultTls()));
    SourceException untrusted = failure(https("/doc"), 100);

    assertThat(mismatch.reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(mismatch.getMessage()).contains("TLS failed");
    assertThat(untrusted.reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(untrusted.getMessage()).contains("TLS failed");
  }

  private static javax.net.ssl.SSLContext defaultTls() {
    try {
      return javax.net.ssl.SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void plainHttp_worksWhenAllowed() throws Exception {
    servers.serve("/plain.html", 200, "text/html", "<p>x</p>".getBytes(StandardCharsets.UTF_8));

    assertThat(fetch(http("/plain.html"), 100).mediaType()).isEqualTo("text/html");
  }

  @Test
  void aSizeHintOverTheLimit_isRefusedWithoutARequest() {
    int before = servers.totalHits();
    DocumentRef ref =
        new DocumentRef(DocumentId.of("big"), URI.create(https("/big")), Map.of(), 5_000L);

    SourceException e = catchThrowableOfType(SourceException.class, () -> source.fetch(ref, 4_999));

    assertThat(e.reason()).isEqualTo(FailureReason.TOO_LARGE);
    assertThat(servers.totalHits()).isEqualTo(before);
  }
}
