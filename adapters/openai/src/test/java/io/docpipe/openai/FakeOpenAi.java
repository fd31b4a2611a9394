package io.docpipe.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A loopback OpenAI-compatible embeddings server. By default it answers with deterministic
 * bag-of-words vectors (hashed words, so shared words mean closer vectors), scaled away from unit
 * length and listed in reverse index order; scripted responses queued with {@link #then} are played
 * first, one per request.
 */
final class FakeOpenAi implements AutoCloseable {

  /** What the server got. */
  record Request(String authorization, String model, List<String> inputs, JsonNode body) {}

  /** One scripted answer. */
  @FunctionalInterface
  interface Responder {
    void respond(HttpExchange exchange, FakeOpenAi server, List<String> inputs) throws IOException;
  }

  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Queue<Responder> script = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private final int dimension;

  FakeOpenAi(int dimension) throws IOException {
    this.dimension = dimension;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(executor);
    server.createContext("/v1/embeddings", this::handle);
    server.start();
  }

  URI baseUrl() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1");
  }

  List<Request> requests() {
    return requests;
  }

  FakeOpenAi then(Responder responder) {
    script.add(responder);
    return this;
  }

  FakeOpenAi then(int times, Responder responder) {
    for (int i = 0; i < times; i++) {
      script.add(responder);
    }
    return this;
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      List<String> inputs = new ArrayList<>();
      body.path("input").forEach(n -> inputs.add(n.asText()));
      requests.add(
          new Request(
              String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
              body.path("model").asText(),
              List.copyOf(inputs),
              body));
      Responder next = script.poll();
      (next != null ? next : ok()).respond(exchange, this, inputs);
    }
  }

  // ---- responders ----------------------------------------------------------------------------

  /** Correct vectors. */
  static Responder ok() {
    return (exchange, server, inputs) ->
        send(exchange, 200, server.vectorsJson(inputs, server.dimension, inputs.size()), Map.of());
  }

  /** Vectors of the wrong length. */
  static Responder wrongDimension() {
    return (exchange, server, inputs) ->
        send(
            exchange,
            200,
            server.vectorsJson(inputs, server.dimension + 1, inputs.size()),
            Map.of());
  }

  /** One vector too few. */
  static Responder oneVectorMissing() {
    return (exchange, server, inputs) ->
        send(
            exchange,
            200,
            server.vectorsJson(inputs, server.dimension, inputs.size() - 1),
            Map.of());
  }

  /** Every item claims index 0. */
  static Responder duplicateIndex() {
    return (exchange, server, inputs) ->
        send(
            exchange,
            200,
            server
                .vectorsJson(inputs, server.dimension, inputs.size())
                .replaceAll("\"index\":\\d+", "\"index\":0"),
            Map.of());
  }

  /** Correct vectors cut off half-way. */
  static Responder truncated() {
    return (exchange, server, inputs) -> {
      String full = server.vectorsJson(inputs, server.dimension, inputs.size());
      send(exchange, 200, full.substring(0, full.length() / 2), Map.of());
    };
  }

  /** An OpenAI-style error. */
  static Responder error(int status, String code, String message, Map<String, String> headers) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", code.equals("insufficient_quota") ? "insufficient_quota" : "api_error");
    error.put("code", code);
    return (exchange, server, inputs) -> send(exchange, status, root.toString(), headers);
  }

  /** Answers only when the server closes: the client must time out. */
  static Responder hang() {
    return (exchange, server, inputs) -> {
      try {
        server.release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  static void send(HttpExchange exchange, int status, String body, Map<String, String> headers)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    headers.forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  // ---- deterministic vectors ----------------------------------------------------------------

  private String vectorsJson(List<String> inputs, int dimension, int count) {
    ObjectNode root = JSON.createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    for (int i = count - 1; i >= 0; i--) {
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      ArrayNode embedding = item.putArray("embedding");
      for (float x : vector(inputs.get(i), dimension)) {
        embedding.add(3 * x);
      }
    }
    root.put("model", "fake");
    return root.toString();
  }

  /** A hashed bag of words plus a small constant component, unnormalised. */
  static float[] vector(String text, int dimension) {
    float[] vector = new float[dimension];
    vector[0] = 0.2f;
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (word.isEmpty()) {
        continue;
      }
      int hash = mix(word.hashCode());
      vector[Math.floorMod(hash, dimension)] += (hash & 0x10000) == 0 ? 1 : -1;
      int second = mix(hash);
      vector[Math.floorMod(second, dimension)] += (second & 0x10000) == 0 ? 0.5f : -0.5f;
    }
    return vector;
  }

  private static int mix(int h) {
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
