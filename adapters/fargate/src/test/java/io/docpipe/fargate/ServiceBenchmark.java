package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/search} on a 10,000-chunk index against a bare Helidon route in the same JVM and
 * run, with one bounded load generator. Runs only with {@code -Ddocpipe.bench=true}; prints its
 * figures (docs/benchmarks.md, "Fargate service").
 */
class ServiceBenchmark {

  private static final int DOCUMENTS = 10_000;
  private static final int CONCURRENCY = 8;
  private static final Duration WARM_UP = Duration.ofSeconds(10);
  private static final Duration MEASURE = Duration.ofSeconds(30);
  private static final String[] WORDS = {
    "index", "vector", "search", "cluster", "shard", "embedding", "query", "document", "latency",
    "throughput", "queue", "token", "model", "service", "ingest", "storage", "filter", "score",
    "graph", "cosine", "chunk", "payload", "metadata", "replica", "drain", "health", "metric"
  };

  @TempDir Path indexDir;

  @Test
  void searchVersusBareRoute() throws Exception {
    Assumptions.assumeTrue(Boolean.getBoolean("docpipe.bench"), "run with -Ddocpipe.bench=true");
    FargateService service =
        TestServices.start(
            indexDir,
            Map.of("DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS", "100", "DOCPIPE_ONNX_THREADS", "2"),
            Runnable::run);
    WebServer bare =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .shutdownHook(false)
            .featuresDiscoverServices(false)
            .routing(
                r ->
                    r.post(
                        "/bare",
                        (req, res) -> {
                          req.content().consume();
                          res.header("Content-Type", "application/json").send("{\"hits\":[]}");
                        }))
            .build()
            .start();
    try {
      TestServices.Client client = new TestServices.Client(service.port());
      long t0 = System.nanoTime();
      Random random = new Random(7);
      for (int batch = 0; batch < DOCUMENTS / 100; batch++) {
        int first = batch * 100;
        String docs =
            IntStream.range(first, first + 100)
                .mapToObj(i -> "{\"id\":\"d" + i + "\",\"text\":\"" + sentence(random, 24) + "\"}")
                .collect(Collectors.joining(","));
        HttpResponse<String> r =
            client.post("/v1/documents", WRITER, "{\"documents\":[" + docs + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      }
      double ingestSeconds = (System.nanoTime() - t0) / 1e9;
      String stats = client.get("/v1/stats", READER).body();
      System.out.printf(
          Locale.ROOT,
          "indexed %d documents in %.1f s (%.0f docs/s); stats %s%n",
          DOCUMENTS,
          ingestSeconds,
          DOCUMENTS / ingestSeconds,
          stats);

      URI search = URI.create("http://127.0.0.1:" + service.port() + "/v1/search");
      URI bareUri = URI.create("http://127.0.0.1:" + bare.port() + "/bare");
      for (String round : List.of("bare", "search", "bare", "search")) {
        URI uri = round.equals("bare") ? bareUri : search;
        load(uri, WARM_UP, new Random(1));
        Result result = load(uri, MEASURE, new Random(2));
        System.out.printf(
            Locale.ROOT,
            "%-6s concurrency %d, %d s: %.0f req/s, p50 %.2f ms, p99 %.2f ms, errors %d%n",
            round,
            CONCURRENCY,
            MEASURE.toSeconds(),
            result.perSecond,
            result.p50,
            result.p99,
            result.errors);
      }
    } finally {
      bare.stop();
      service.close();
    }
  }

  private record Result(double perSecond, double p50, double p99, int errors) {}

  private static Result load(URI uri, Duration duration, Random seed) throws InterruptedException {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long end = System.nanoTime() + duration.toNanos();
    List<long[]> perThread = new ArrayList<>();
    AtomicInteger errors = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < CONCURRENCY; t++) {
      long[] latencies = new long[2_000_000];
      perThread.add(latencies);
      String query = "{\"query\":\"" + sentence(new Random(seed.nextLong()), 6) + "\",\"k\":10}";
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    int n = 0;
                    while (System.nanoTime() < end && n < latencies.length - 1) {
                      long s = System.nanoTime();
                      try {
                        HttpResponse<Void> r =
                            http.send(
                                HttpRequest.newBuilder(uri)
                                    .header("Authorization", "Bearer " + READER)
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(query))
                                    .build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                          errors.incrementAndGet();
                        }
                      } catch (Exception e) {
                        errors.incrementAndGet();
                      }
                      latencies[++n] = System.nanoTime() - s;
                    }
                    latencies[0] = n;
                  }));
    }
    for (Thread t : threads) {
      t.join();
    }
    long[] all =
        perThread.stream()
            .flatMapToLong(l -> Arrays.stream(l, 1, (int) l[0] + 1))
            .sorted()
            .toArray();
    return new Result(
        all.length / (double) duration.toSeconds(),
        all[all.length / 2] / 1e6,
        all[(int) (all.length * 0.99)] / 1e6,
        errors.get());
  }

  private static String sentence(Random random, int words) {
    return IntStream.range(0, words)
        .mapToObj(i -> WORDS[random.nextInt(WORDS.length)])
        .collect(Collectors.joining(" "));
  }
}
