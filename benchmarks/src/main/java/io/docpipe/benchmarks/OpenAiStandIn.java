package io.docpipe.benchmarks;

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
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An OpenAI-compatible {@code POST /v1/embeddings} on 127.0.0.1 answering deterministic unit
 * vectors (seeded by each input's hash) at once: with it, a docpipe process does everything but run
 * a model, so what is measured is docpipe's own cost. It runs in the benchmark's JVM, never in the
 * measured one.
 */
final class OpenAiStandIn implements AutoCloseable {

  static final int DIMENSION = 384;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicLong inputs = new AtomicLong();

  private OpenAiStandIn(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  static OpenAiStandIn start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
      ExecutorService executor = Executors.newFixedThreadPool(4);
      OpenAiStandIn standIn = new OpenAiStandIn(server, executor);
      server.createContext("/v1/embeddings", standIn::answer);
      server.setExecutor(executor);
      server.start();
      return standIn;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the embeddings stand-in", e);
    }
  }

  /**
   * The DOCPIPE_* variables that point docpipe's openai adapter at this server, its client-side
   * rate limits lifted (a local server has no account tier), so a run measures docpipe.
   */
  Map<String, String> env() {
    return Map.of(
        "DOCPIPE_OPENAI_REQUESTS_PER_MINUTE",
        "100000000",
        "DOCPIPE_OPENAI_TOKENS_PER_MINUTE",
        "2000000000",
        "DOCPIPE_EMBEDDING",
        "openai",
        "DOCPIPE_OPENAI_BASE_URL",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/v1",
        "DOCPIPE_OPENAI_MODEL",
        "stand-in-384",
        "DOCPIPE_OPENAI_DIMENSION",
        Integer.toString(DIMENSION));
  }

  /** How many inputs it has embedded so far. */
  long inputs() {
    return inputs.get();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      JsonNode input = request.path("input");
      StringBuilder body = new StringBuilder(input.size() * DIMENSION * 12 + 64);
      body.append("{\"object\":\"list\",\"data\":[");
      for (int i = 0; i < input.size(); i++) {
        if (i > 0) {
          body.append(',');
        }
        body.append("{\"object\":\"embedding\",\"index\":").append(i).append(",\"embedding\":[");
        float[] v = vector(input.get(i).asText());
        for (int d = 0; d < v.length; d++) {
          if (d > 0) {
            body.append(',');
          }
          body.append(v[d]);
        }
        body.append("]}");
      }
      body.append(
          "],\"model\":\"stand-in-384\",\"usage\":{\"prompt_tokens\":0,\"total_tokens\":0}}");
      inputs.addAndGet(input.size());
      byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** A unit vector that depends only on {@code text}. */
  static float[] vector(String text) {
    SplittableRandom random = new SplittableRandom(text.hashCode());
    float[] v = new float[DIMENSION];
    double norm = 0;
    for (int d = 0; d < DIMENSION; d++) {
      v[d] = (float) (random.nextDouble() - 0.5);
      norm += v[d] * v[d];
    }
    float inv = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < DIMENSION; d++) {
      v[d] *= inv;
    }
    return v;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
