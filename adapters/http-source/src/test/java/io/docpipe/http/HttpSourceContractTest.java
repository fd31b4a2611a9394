package io.docpipe.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.testkit.DocumentSourceContract;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The HTTP source passes the document source contract against a real JDK HTTP server on 127.0.0.1,
 * reached through the SSRF guard with only that address allow-listed: each source gets its own path
 * prefix, an id is its percent-encoded path below it, and a missing path answers 404.
 */
class HttpSourceContractTest extends DocumentSourceContract {

  private static final Map<String, byte[]> FILES = new ConcurrentHashMap<>();
  private static final AtomicInteger SOURCES = new AtomicInteger();
  private static HttpServer server;
  private static ExecutorService handlers;

  @BeforeAll
  static void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    handlers = Executors.newFixedThreadPool(4);
    server.setExecutor(handlers);
    server.createContext("/", HttpSourceContractTest::serve);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.stop(0);
    handlers.shutdownNow();
  }

  private static void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = FILES.get(exchange.getRequestURI().getPath());
      if (body == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  @Override
  protected SourceUnderTest givenSource(Map<String, byte[]> documentsById) {
    String base = "/source-" + SOURCES.incrementAndGet() + "/";
    documentsById.forEach((id, bytes) -> FILES.put(base + id, bytes.clone()));
    int port = server.getAddress().getPort();
    DocumentSource source =
        HttpSources.source(
            HttpSourceSettings.defaults()
                .withAllowHttp(true)
                .withAllowedPorts(Set.of(port))
                .withAllowList(List.of("127.0.0.1/32")));
    return new SourceUnderTest(
        source,
        id ->
            new DocumentRef(
                id,
                URI.create("http://127.0.0.1:" + port + base + encodePath(id.value())),
                Map.of("team", "docs", "origin", "contract"),
                null),
        id -> FILES.remove(base + id.value()));
  }

  @Override
  protected Optional<DocumentRef> refusedRef(SourceUnderTest source) throws Exception {
    // The cloud metadata address: link-local, never allow-listed here.
    DocumentRef listed = source.ref("present.txt");
    int port = listed.location().getPort();
    return Optional.of(
        new DocumentRef(
            listed.id(),
            URI.create("http://169.254.169.254:" + port + "/latest/meta-data/"),
            Map.of(),
            null));
  }

  /** Percent-encodes every byte of the UTF-8 path except unreserved characters and {@code /}. */
  private static String encodePath(String path) {
    StringBuilder encoded = new StringBuilder();
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~/".indexOf(c) >= 0) {
        encoded.append((char) c);
      } else {
        encoded.append('%').append(String.format("%02X", c));
      }
    }
    return encoded.toString();
  }
}
