package io.docpipe.benchmarks;

import io.docpipe.testkit.EmbeddingsStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The Fargate service under load: {@code POST /v1/search} (k=10) on an index of N one-chunk
 * documents, served by {@code FargateMain} in a JVM of its own (bearer auth on, JSON access log),
 * against a bare Helidon route returning a constant ({@link BareHelidonRoute}, same web server, its
 * own JVM): the ceiling any Helidon service reaches on this machine with this load generator. Two
 * docpipe services: one embedding each query with the in-process model (what a user gets by
 * default), one asking {@link EmbeddingsStandIn} for it (the service's own overhead: auth, JSON,
 * Lucene, logging). Rounds alternate ceiling, stand-in, model, so drift in the machine's load hits
 * all three.
 */
final class FargateBenchmark {

  static final int CONCURRENCY = 8;
  static final String WRITER = "bench-writer-token-0123456789";
  static final String READER = "bench-reader-token-0123456789";
  private static final Duration START = Duration.ofMinutes(3);
  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  private static final String[] WORDS = {
    "index", "vector", "search", "cluster", "shard", "embedding", "query", "document", "latency",
    "throughput", "queue", "token", "model", "service", "ingest", "storage", "filter", "score",
    "graph", "cosine", "chunk", "payload", "metadata", "replica", "drain", "health", "metric"
  };

  /** One route's rounds. */
  record Route(Samples requestsPerSecond, Samples p99Millis, int errors) {}

  record Result(int documents, Route ceiling, Route api, Route model) {}

  private FargateBenchmark() {}

  static Result run(Path work, int documents, Duration round, int runs, @Nullable Path recording)
      throws IOException {
    try (EmbeddingsStandIn standIn = MemoryIngestMain.embeddingsStandIn()) {
      Path apiIndex = work.resolve("index-api");
      Path modelIndex = work.resolve("index-model");
      try (ChildJvm service = service(standIn.env(), apiIndex, work.resolve("build.log"))) {
        ingest(port(service), documents);
      }
      copyTree(apiIndex, modelIndex);
      try (ChildJvm bare =
              ChildJvm.start(
                  List.of(),
                  BareHelidonRoute.class.getName(),
                  List.of(),
                  Map.of(),
                  work.resolve("bare.log"));
          ChildJvm api = service(standIn.env(), apiIndex, work.resolve("api.log"));
          ChildJvm model = service(Map.of(), modelIndex, work.resolve("model.log"))) {
        URI bareUri = URI.create("http://127.0.0.1:" + bare.awaitLog(LISTENING, START) + "/bare");
        URI apiUri = URI.create("http://127.0.0.1:" + port(api) + "/v1/search");
        URI modelUri = URI.create("http://127.0.0.1:" + port(model) + "/v1/search");
        List<String> queries = queries();
        List<List<LoadGenerator.Round>> rounds =
            List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<URI> uris = List.of(bareUri, apiUri, modelUri);
        for (int i = 0; i < uris.size(); i++) {
          LoadGenerator.run(uris.get(i), READER, queries, round); // warm-up, not recorded
        }
        for (int run = 0; run < runs; run++) {
          for (int i = 0; i < uris.size(); i++) {
            LoadGenerator.Round r = LoadGenerator.run(uris.get(i), READER, queries, round);
            rounds.get(i).add(r);
            BenchmarkSuite.log(
                "fargate %s round %d: %.0f req/s, p99 %.1f ms, %d errors"
                    .formatted(
                        List.of("ceiling", "api", "model").get(i),
                        run,
                        r.requestsPerSecond(),
                        r.p99Millis(),
                        r.errors()));
          }
        }
        if (recording != null) {
          JfrSummary.start(api.pid());
          LoadGenerator.run(apiUri, READER, queries, round);
          JfrSummary.dump(api.pid(), recording);
        }
        return new Result(
            documents, route(rounds.get(0)), route(rounds.get(1)), route(rounds.get(2)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  private static Route route(List<LoadGenerator.Round> rounds) {
    return new Route(
        new Samples(rounds.stream().map(LoadGenerator.Round::requestsPerSecond).toList()),
        new Samples(rounds.stream().map(LoadGenerator.Round::p99Millis).toList()),
        rounds.stream().mapToInt(LoadGenerator.Round::errors).sum());
  }

  /** The service as its image runs it, on 127.0.0.1 and a free port. */
  private static ChildJvm service(Map<String, String> model, Path index, Path log) {
    Map<String, String> env = new HashMap<>(model);
    env.put("DOCPIPE_INDEX_DIR", index.toString());
    env.put("DOCPIPE_HTTP_HOST", "127.0.0.1");
    env.put("DOCPIPE_HTTP_PORT", "0");
    env.put("DOCPIPE_API_TOKENS", WRITER + "," + READER + ":read");
    env.put("DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS", "100");
    env.put("DOCPIPE_HTTP_DRAIN_BUDGET", "5s");
    // As the service ships: the model's threads on every core (2 here).
    env.put("DOCPIPE_ONNX_THREADS", "2");
    return ChildJvm.start(List.of(), "io.docpipe.fargate.FargateMain", List.of(), env, log);
  }

  /** Waits until the service listens and is ready (model loaded, index open); its port. */
  private static int port(ChildJvm service) {
    int port = Integer.parseInt(service.awaitLog(LISTENING, START));
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest ready =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
            .timeout(Duration.ofSeconds(10))
            .build();
    long deadline = System.nanoTime() + START.toNanos();
    while (System.nanoTime() < deadline && service.isAlive()) {
      try {
        if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return port;
        }
      } catch (IOException e) {
        // not accepting yet: poll again
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      ChildJvm.pause(Duration.ofMillis(100));
    }
    throw new IllegalStateException("the service did not become ready:\n" + service.tail());
  }

  /** {@code documents} one-chunk documents through {@code POST /v1/documents}, 100 at a time. */
  private static void ingest(int port, int documents) {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Random random = new Random(7);
    for (int first = 0; first < documents; first += 100) {
      String docs =
          IntStream.range(first, Math.min(documents, first + 100))
              .mapToObj(i -> "{\"id\":\"d" + i + "\",\"text\":\"" + sentence(random, 24) + "\"}")
              .collect(Collectors.joining(","));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/documents"))
              .timeout(Duration.ofMinutes(2))
              .header("Authorization", "Bearer " + WRITER)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString("{\"documents\":[" + docs + "]}"))
              .build();
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          throw new IllegalStateException("ingest failed: " + r.statusCode() + " " + r.body());
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /** One fixed query per client thread. */
  private static List<String> queries() {
    Random random = new Random(2);
    return IntStream.range(0, CONCURRENCY)
        .mapToObj(i -> "{\"query\":\"" + sentence(random, 6) + "\",\"k\":10}")
        .toList();
  }

  private static String sentence(Random random, int words) {
    return IntStream.range(0, words)
        .mapToObj(i -> WORDS[random.nextInt(WORDS.length)])
        .collect(Collectors.joining(" "));
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (var paths = Files.walk(from)) {
      for (Path p : paths.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
