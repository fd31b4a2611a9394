package io.docpipe.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI-compatible {@code POST /v1/embeddings} on 127.0.0.1 answering at once with
 * deterministic unit vectors (seeded by each input's hash): a docpipe process pointed at it does
 * everything but run a model, and it can be started and stopped dozens of times with no model to
 * load. It counts what it embedded, in total and per text, independently of the caller's own logs.
 */
public final class EmbeddingsStandIn implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final int dimension;
  private final String model;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final AtomicLong inputs = new AtomicLong();
  private final Map<String, AtomicInteger> perText = new ConcurrentHashMap<>();
  private final AtomicLong refused = new AtomicLong();
  private volatile @Nullable String apiKey;

  private EmbeddingsStandIn(int dimension, String model) {
    this.dimension = dimension;
    this.model = model;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embeddings stand-in", e);
    }
    server.createContext("/v1/embeddings", this::answer);
    server.setExecutor(executor);
    server.start();
  }

  /** A stand-in for a model called {@code model} answering {@code dimension}-long vectors. */
  public static EmbeddingsStandIn start(int dimension, String model) {
    return new EmbeddingsStandIn(dimension, model);
  }

  public int dimension() {
    return dimension;
  }

  /** The API root docpipe's openai adapter takes, {@code http://127.0.0.1:port/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /**
   * The {@code DOCPIPE_*} variables that point docpipe's openai adapter at this server, its
   * client-side rate limits lifted (a local server has no account tier).
   */
  public Map<String, String> env() {
    return Map.of(
        "DOCPIPE_EMBEDDING",
        "openai",
        "DOCPIPE_OPENAI_BASE_URL",
        baseUrl(),
        "DOCPIPE_OPENAI_MODEL",
        model,
        "DOCPIPE_OPENAI_DIMENSION",
        Integer.toString(dimension),
        "DOCPIPE_OPENAI_REQUESTS_PER_MINUTE",
        "100000000",
        "DOCPIPE_OPENAI_TOKENS_PER_MINUTE",
        "2000000000");
  }

  /**
   * From now on, requests without {@code Authorization: Bearer <apiKey>} are answered 401 as the
   * OpenAI API answers a revoked key ({@code null}: every request is served, the default). A test
   * rotates a key by calling this with the new one.
   */
  public void requireApiKey(@Nullable String apiKey) {
    this.apiKey = apiKey;
  }

  /** How many requests it refused for their key. */
  public long refusedRequests() {
    return refused.get();
  }

  /** How many inputs it has embedded so far. */
  public long inputs() {
    return inputs.get();
  }

  /** How many times each text was embedded. */
  public Map<String, Integer> countsPerText() {
    Map<String, Integer> counts = new HashMap<>();
    perText.forEach((text, n) -> counts.put(text, n.get()));
    return counts;
  }

  /** The unit vector this stand-in answers for {@code text}. */
  public float[] vector(String text) {
    SplittableRandom random = new SplittableRandom(text.hashCode());
    float[] v = new float[dimension];
    double norm = 0;
    for (int d = 0; d < dimension; d++) {
      v[d] = (float) (random.nextDouble() - 0.5);
      norm += v[d] * v[d];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < dimension; d++) {
      v[d] *= inv;
    }
    return v;
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      String required = apiKey;
      if (required != null
          && !("Bearer " + required)
              .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
        refused.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        byte[] error =
            ("{\"error\":{\"message\":\"Incorrect API key provided\","
                    + "\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}")
                .getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(401, error.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(error);
        }
        return;
      }
      JsonNode input = JSON.readTree(exchange.getRequestBody()).path("input");
      // Written by hand rather than through a tree: at benchmark rates the answer's JSON is the
      // stand-in's main cost, and it must stay far below the measured process's.
      StringBuilder body = new StringBuilder(input.size() * dimension * 12 + 64);
      body.append("{\"object\":\"list\",\"data\":[");
      for (int i = 0; i < input.size(); i++) {
        String text = input.get(i).asText();
        perText.computeIfAbsent(text, t -> new AtomicInteger()).incrementAndGet();
        body.append(i > 0 ? "," : "")
            .append("{\"object\":\"embedding\",\"index\":")
            .append(i)
            .append(",\"embedding\":[");
        float[] v = vector(text);
        for (int d = 0; d < v.length; d++) {
          body.append(d > 0 ? "," : "").append(v[d]);
        }
        body.append("]}");
      }
      body.append("],\"model\":")
          .append(JSON.writeValueAsString(model))
          .append(",\"usage\":{\"prompt_tokens\":0,\"total_tokens\":0}}");
      inputs.addAndGet(input.size());
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
