package io.docpipe.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.SourceException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing by scheme, and the sources' configuration read from the environment. */
class DocumentSourcesTest {

  @TempDir Path temp;

  private static SourceException failure(DocumentSource source, String location) {
    SourceException e =
        catchThrowableOfType(
            SourceException.class,
            () -> source.fetch(DocumentRef.of(DocumentId.of("d"), URI.create(location)), 1000));
    assertThat(e).as(location).isNotNull();
    return e;
  }

  @Test
  void sourceVariables_areRead() {
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(
            Map.of(
                "DOCPIPE_S3_ENDPOINT", "http://127.0.0.1:9090",
                "DOCPIPE_S3_REGION", "eu-west-1",
                "DOCPIPE_HTTP_SOURCE_ALLOW_HTTP", "true",
                "DOCPIPE_HTTP_SOURCE_ALLOW_HOSTS", "docs.internal, 10.1.0.0/16",
                "DOCPIPE_HTTP_SOURCE_ALLOW_PORTS", "443,8443",
                "DOCPIPE_HTTP_SOURCE_TOTAL_TIMEOUT", "90s",
                "DOCPIPE_HTTP_SOURCE_READ_TIMEOUT", "500ms"));

    SourceConfig sources = config.sources();
    assertThat(sources.s3().endpoint()).isEqualTo(URI.create("http://127.0.0.1:9090"));
    assertThat(sources.s3().region()).isEqualTo("eu-west-1");
    assertThat(sources.s3().pathStyle()).as("path style follows an endpoint").isTrue();
    assertThat(sources.http().allowHttp()).isTrue();
    assertThat(sources.http().allowList()).containsExactly("docs.internal", "10.1.0.0/16");
    assertThat(sources.http().allowedPorts()).containsExactlyInAnyOrder(443, 8443);
    assertThat(sources.http().totalTimeout()).isEqualTo(Duration.ofSeconds(90));
    assertThat(sources.http().readTimeout()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void defaults_areHttpsOnly_defaultPorts_noAllowList_awsS3() {
    SourceConfig sources = DocpipeConfig.defaults().sources();

    assertThat(sources.http().allowHttp()).isFalse();
    assertThat(sources.http().allowList()).isEmpty();
    assertThat(sources.http().allowedPorts()).containsExactlyInAnyOrder(80, 443);
    assertThat(sources.s3().endpoint()).isNull();
    assertThat(sources.s3().pathStyle()).isFalse();
  }

  @Test
  void badSourceVariables_areReportedTogether() {
    assertThatThrownBy(
            () ->
                DocpipeConfig.fromEnvironment(
                    Map.of(
                        "DOCPIPE_S3_ENDPOINT", "ftp://x",
                        "DOCPIPE_S3_REGION", "Europe West",
                        "DOCPIPE_S3_PATH_STYLE", "sometimes",
                        "DOCPIPE_HTTP_SOURCE_ALLOW_HOSTS", "10.0.0.0/99",
                        "DOCPIPE_HTTP_SOURCE_ALLOW_PORTS", "443,http",
                        "DOCPIPE_HTTP_SOURCE_TOTAL_TIMEOUT", "forever")))
        .isInstanceOf(ConfigException.class)
        .satisfies(e -> assertThat(((ConfigException) e).problems()).hasSize(6))
        .hasMessageContaining("DOCPIPE_S3_ENDPOINT='ftp://x' must be an absolute http(s) URL")
        .hasMessageContaining("DOCPIPE_S3_REGION='Europe West'")
        .hasMessageContaining("DOCPIPE_S3_PATH_STYLE='sometimes' must be true or false")
        .hasMessageContaining("DOCPIPE_HTTP_SOURCE_ALLOW_HOSTS: allow-list entry '10.0.0.0/99'")
        .hasMessageContaining("DOCPIPE_HTTP_SOURCE_ALLOW_PORTS has 'http'")
        .hasMessageContaining("DOCPIPE_HTTP_SOURCE_TOTAL_TIMEOUT='forever'");
  }

  @Test
  void routing_sendsEachSchemeToItsSource() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext(
        "/doc.txt",
        exchange -> {
          byte[] body = "over http".getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    int port = server.getAddress().getPort();
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(
            Map.of(
                "DOCPIPE_S3_ENDPOINT", "http://127.0.0.1:" + closedPort,
                "DOCPIPE_S3_REGION", "us-east-1",
                "DOCPIPE_HTTP_SOURCE_ALLOW_HTTP", "true",
                "DOCPIPE_HTTP_SOURCE_ALLOW_HOSTS", "127.0.0.1",
                "DOCPIPE_HTTP_SOURCE_ALLOW_PORTS", String.valueOf(port)));
    try (DocumentSources sources = new DocumentSources(config.sources())) {
      DocumentSource routing = sources.routing(null);
      String url = "http://127.0.0.1:" + port + "/doc.txt";

      var fetched = routing.fetch(DocumentRef.of(DocumentId.of("d"), URI.create(url)), 1000);

      assertThat(new String(fetched.content().toByteArray(), StandardCharsets.UTF_8))
          .isEqualTo("over http");
      assertThat(failure(routing, "http://127.0.0.2:" + port + "/doc.txt").reason())
          .as("the SSRF guard is on in wiring")
          .isEqualTo(FailureReason.INVALID_INPUT);
      assertThat(failure(routing, "s3://bucket/key.txt").reason())
          .as("s3 goes to S3: the configured endpoint is closed")
          .isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
      assertThat(failure(routing, "file:///etc/passwd").getMessage())
          .contains("file: locations are read only from a local corpus");
      assertThat(failure(routing, "gopher://x/").getMessage()).contains("no source for scheme");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void corpus_ofALocalDirectory_anS3Prefix_orAUrl() throws Exception {
    Files.writeString(temp.resolve("a.txt"), "local");
    try (DocumentSources sources = new DocumentSources(DocpipeConfig.defaults().sources())) {
      Corpus local = sources.corpus(temp.toString());
      Corpus url = sources.corpus("https://docs.example.com/guide.html");

      assertThat(ids(local)).containsExactly("a.txt");
      DocumentRef ref = local.listing().list(null).findFirst().orElseThrow();
      assertThat(local.source().fetch(ref, 100).content().size()).isEqualTo(5);
      assertThat(ids(url)).containsExactly("https://docs.example.com/guide.html");
      assertThatThrownBy(() -> sources.corpus("ftp://x/y"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("not ftp");
    }
  }

  private static List<String> ids(Corpus corpus) {
    try (Stream<DocumentRef> refs = corpus.listing().list(null)) {
      return refs.map(r -> r.id().value()).toList();
    }
  }
}
