package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.Corpus;
import io.docpipe.wiring.DocpipeConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs ingestion against an OpenAI-compatible API on loopback that fails (a 500, then a 401 that
 * echoes the Authorization header back, as careless servers do) with the build's canary API key
 * from the environment, so that the key really travels through config, client, retries, errors and
 * logs. {@code CanaryKeyScanTest} in architecture-tests then finds it in no log of the build.
 */
class CanaryApiKeyFlowTest {

  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void startApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/embeddings",
        exchange -> {
          authorizations.add(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          exchange.getRequestBody().readAllBytes();
          boolean first = requests.getAndIncrement() == 0;
          String body =
              first
                  ? "{\"error\":{\"message\":\"overloaded\",\"type\":\"server_error\"}}"
                  : "{\"error\":{\"message\":\"Incorrect API key provided: "
                      + exchange.getRequestHeaders().getFirst("Authorization")
                      + "\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(first ? 500 : 401, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
  }

  @AfterEach
  void stopApi() {
    server.stop(0);
  }

  @Test
  void theCanaryKeyIsSentToTheApi_butNotReportedBack(@TempDir Path work) throws IOException {
    String canary = System.getenv("DOCPIPE_OPENAI_API_KEY");
    assumeTrue(
        canary != null && canary.contains("canary"),
        "the build sets DOCPIPE_OPENAI_API_KEY to a canary (root pom, surefire); not set here");
    Path corpus = Files.createDirectories(work.resolve("corpus"));
    Files.writeString(corpus.resolve("note.txt"), "A note that needs an embedding.");
    Map<String, String> env =
        Map.of(
            "DOCPIPE_INDEX_DIR",
            work.resolve("index").toString(),
            "DOCPIPE_EMBEDDING",
            "openai",
            "DOCPIPE_OPENAI_BASE_URL",
            "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
            "DOCPIPE_OPENAI_DIMENSION",
            "8",
            "DOCPIPE_OPENAI_API_KEY",
            canary);
    DocpipeConfig config = DocpipeConfig.fromEnvironment(env);

    IngestReport report;
    try (CliComponent component = CliComponent.create(config, IngestionListener.NONE)) {
      Corpus local = Corpus.localDirectory(corpus);
      List<IngestRequest> requests;
      try (var refs = local.listing().list(null)) {
        requests = refs.<IngestRequest>map(IngestRequest.Fetch::new).toList();
      }
      report = component.corpusRun().create(local).ingest().ingest(IngestCommand.of(requests));
    }

    assertThat(authorizations).isNotEmpty().allMatch(a -> a.equals("Bearer " + canary));
    assertThat(report.outcomes())
        .singleElement()
        .isInstanceOfSatisfying(
            DocumentOutcome.Failed.class,
            f -> assertThat(f.detail()).contains("401").doesNotContain(canary));
    assertThat(config.toString()).doesNotContain(canary);
  }
}
