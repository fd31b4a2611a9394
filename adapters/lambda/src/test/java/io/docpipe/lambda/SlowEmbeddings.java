package io.docpipe.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code /embeddings} server on 127.0.0.1 whose every input costs {@code
 * perText} of model time, like a model that is slow compared with the time an invocation has left:
 * deterministic vectors from the text. The model time is counted on a clock of its own ({@link
 * #modelTime()}) instead of being slept, so that tests measure the handler's decisions, not how
 * busy the machine running them is.
 */
final class SlowEmbeddings implements AutoCloseable {

  static final int DIMENSION = 8;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final AtomicInteger texts = new AtomicInteger();
  private final Duration perText;

  SlowEmbeddings(Duration perText) throws IOException {
    this.perText = perText;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.setExecutor(executor);
    server.createContext(
        "/v1/embeddings",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            JsonNode request = JSON.readTree(in);
            ArrayNode data = JSON.createArrayNode();
            int i = 0;
            for (JsonNode input : request.path("input")) {
              int h = input.asText().hashCode();
              ObjectNode item = data.addObject().put("object", "embedding").put("index", i++);
              ArrayNode vector = item.putArray("embedding");
              for (int d = 0; d < DIMENSION; d++) {
                vector.add(((h >>> d) & 1) == 1 ? 0.25 : -0.25);
              }
            }
            texts.addAndGet(i);
            ObjectNode response = JSON.createObjectNode().put("object", "list");
            response.set("data", data);
            response.put("model", request.path("model").asText());
            byte[] body = JSON.writeValueAsBytes(response);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  /** Settings that embed through this server. */
  Map<String, String> env() {
    return Map.of(
        "DOCPIPE_EMBEDDING",
        "openai",
        "DOCPIPE_OPENAI_BASE_URL",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
        "DOCPIPE_OPENAI_MODEL",
        "slow",
        "DOCPIPE_OPENAI_DIMENSION",
        Integer.toString(DIMENSION),
        "DOCPIPE_OPENAI_REQUESTS_PER_MINUTE",
        "1000000");
  }

  /** The model time spent so far: {@code perText} for every text embedded. */
  Duration modelTime() {
    return perText.multipliedBy(texts.get());
  }

  int textsEmbedded() {
    return texts.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
