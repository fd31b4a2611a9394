package io.docpipe.gke;

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
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code /embeddings} server on 127.0.0.1 for worker processes that are
 * restarted dozens of times (no model to load per start): deterministic vectors from the text, and
 * a count of how often each text was embedded, independent of the workers' own logs.
 */
final class EmbeddingsStub implements AutoCloseable {

  static final int DIMENSION = 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final Map<String, AtomicInteger> embedded = new ConcurrentHashMap<>();

  EmbeddingsStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext(
        "/v1/embeddings",
        exchange -> {
          try (InputStream in = exchange.getRequestBody()) {
            JsonNode request = JSON.readTree(in);
            ArrayNode data = JSON.createArrayNode();
            int i = 0;
            for (JsonNode input : request.path("input")) {
              String text = input.asText();
              embedded.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
              ObjectNode item = data.addObject();
              item.put("object", "embedding");
              item.put("index", i++);
              ArrayNode vector = item.putArray("embedding");
              int h = text.hashCode();
              for (int d = 0; d < DIMENSION; d++) {
                vector.add(((h >>> d) & 1) == 1 ? 0.25 : -0.25);
              }
            }
            ObjectNode response = JSON.createObjectNode();
            response.put("object", "list");
            response.set("data", data);
            response.put("model", request.path("model").asText());
            byte[] body = JSON.writeValueAsBytes(response);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          } catch (RuntimeException e) {
            byte[] body = e.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(500, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
              out.write(body);
            }
          }
        });
    server.start();
  }

  /** Worker settings that embed through this server. */
  Map<String, String> env() {
    return Map.of(
        "DOCPIPE_EMBEDDING",
        "openai",
        "DOCPIPE_OPENAI_BASE_URL",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
        "DOCPIPE_OPENAI_MODEL",
        "stub",
        "DOCPIPE_OPENAI_DIMENSION",
        Integer.toString(DIMENSION));
  }

  /** How many times each text was embedded. */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new java.util.HashMap<>();
    embedded.forEach((text, n) -> counts.put(text, n.get()));
    return counts;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
