package io.docpipe.benchmarks;

import io.docpipe.testkit.EmbeddingsStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * The Fargate service under load: {@code POST /v1/search} (k=10) on an index of N one-chunk
 * documents, served by {@code FargateMain} in a JVM of its own (bearer auth on, JSON access log),
 * each against the bare Helidon route ({@link BareHelidonRoute}, same web server, its own JVM) that
 * does the one thing such a search cannot avoid: embedding the query with the same model, settings
 * and threads, or with the same client calling the same embeddings stand-in, and then answering a
 * constant. Two docpipe services: one embedding each query with the in-process model (what a user
 * gets by default), one asking {@link EmbeddingsStandIn} for it. A fifth route answers a constant
 * without embedding: the ceiling any Helidon service reaches here with this load generator, a
 * reference only. Every round runs all five with the same client load, in alternating order (each
 * search beside its floor), so drift in the machine's load hits all of them.
 */
final class FargateBenchmark {

  static final int CONCURRENCY = 8;
  static final String WRITER = "bench-writer-token-0123456789";
  static final String READER = "bench-reader-token-0123456789";
  private static final Duration START = Duration.ofMinutes(3);

  /**
   * The JVM flags the Fargate image runs with (root pom.xml's jib {@code jvmFlags}; the service
   * adds its log manager), for every server in the run: Lucene's HNSW and BM25 use the Vector API
   * only with {@code jdk.incubator.vector}. {@code -XX:MaxRAMPercentage=75} is left out: it sizes
   * the heap for a container of its own, and five JVMs share this machine.
   */
  static final List<String> IMAGE_JVM_FLAGS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "--add-modules=jdk.incubator.vector",
          "-XX:+ExitOnOutOfMemoryError");

  private static final Pattern LISTENING = Pattern.compile("listening on port (\\d+)");
  private static final String[] WORDS = {
    "index", "vector", "search", "cluster", "shard", "embedding", "query", "document", "latency",
    "throughput", "queue", "token", "model", "service", "ingest", "storage", "filter", "score",
    "graph", "cosine", "chunk", "payload", "metadata", "replica", "drain", "health", "metric"
  };

  /** The routes, in the order of an even round (odd rounds run them in reverse). */
  enum Which {
    CEILING("ceiling"),
    API_FLOOR("embed-only, API stand-in"),
    API("search, API stand-in"),
    MODEL_FLOOR("embed-only, in-process model"),
    MODEL("search, in-process model");

    final String label;

    Which(String label) {
      this.label = label;
    }
  }

  /**
   * One route's rounds. {@code serverCpuMillis}: CPU time per answered request of the process that
   * serves the route; {@code clientCpuMillis}: the same of the benchmark's own process, which runs
   * the load generator and the embeddings stand-in (its share grows with the stand-in calls).
   */
  record Route(
      Samples requestsPerSecond,
      Samples p99Millis,
      int errors,
      Samples serverCpuMillis,
      Samples clientCpuMillis) {}

  /** A measured round with the CPU time its two processes spent, per answered request. */
  record Measured(LoadGenerator.Round round, double serverCpuMillis, double clientCpuMillis) {}

  record Result(
      int documents,
      QuietMerge apiIndex,
      QuietMerge modelIndex,
      int fewestWarmUpRounds,
      int mostWarmUpRounds,
      Route ceiling,
      Route apiFloor,
      Route api,
      Route modelFloor,
      Route model) {}

  /**
   * What the building service's index did once the load's writes went quiet: {@code segments}
   * merged into one in {@code millis}, or left as they were when Lucene's own merges had already
   * put 99% of the points in one segment ({@code merged} false; ADR 0036; the service as it ships,
   * DOCPIPE_LUCENE_MERGE_WHEN_QUIET at its default).
   */
  record QuietMerge(int segments, boolean merged, long millis) {
    String describe() {
      return merged
          ? "merged its %d segments into 1 in %,d ms".formatted(segments, millis)
          : "left its %d segments as they were (99%% in one)".formatted(segments);
    }
  }

  private static final Pattern MERGED_LINE =
      Pattern.compile("went quiet: (\\d+ segments \\(\\d+ points\\)[^\"]*)");

  private static final Pattern MERGED =
      Pattern.compile("(\\d+) segments \\((\\d+) points\\)(?: merged into 1 in (\\d+) ms)?");

  /**
   * A route is warm once two warm-up rounds in a row agree within this share of their rate. The
   * search routes' Lucene code (HNSW, BM25 over the Vector API) runs far slower until C2 has
   * compiled it, and on 2 loaded cores that took longer than one round: with a single warm-up round
   * the measured rounds of the search routes were still rising (196 to 300 req/s over five 5 s
   * rounds) while their floors stayed level.
   */
  static final double WARM_UP_AGREEMENT = 0.05;

  /** The bound on warm-up rounds per route, settled or not. */
  static final int MOST_WARM_UP_ROUNDS = 5;

  private FargateBenchmark() {}

  /** Runs warm-up rounds until two in a row agree (or the bound); returns how many ran. */
  private static int warmUp(Which which, URI uri, List<String> queries, Duration round)
      throws InterruptedException {
    double last = LoadGenerator.run(uri, READER, queries, round).requestsPerSecond();
    for (int done = 2; done <= MOST_WARM_UP_ROUNDS; done++) {
      double now = LoadGenerator.run(uri, READER, queries, round).requestsPerSecond();
      if (Math.abs(now - last) <= WARM_UP_AGREEMENT * Math.max(now, last)) {
        BenchmarkSuite.log("fargate %s warm after %d rounds".formatted(which.label, done));
        return done;
      }
      last = now;
    }
    BenchmarkSuite.log(
        "fargate %s not settled after %d warm-up rounds"
            .formatted(which.label, MOST_WARM_UP_ROUNDS));
    return MOST_WARM_UP_ROUNDS;
  }

  static Result run(Path work, int documents, Duration round, int runs, @Nullable Path recording)
      throws IOException {
    try (EmbeddingsStandIn standIn = MemoryIngestMain.embeddingsStandIn()) {
      Path apiIndex = work.resolve("index-api");
      Path modelIndex = work.resolve("index-model");
      // Each index written by its own service's model: an index records the model whose vectors
      // it holds and refuses another.
      QuietMerge apiMerge;
      QuietMerge modelMerge;
      try (ChildJvm service = service(standIn.env(), apiIndex, work.resolve("build-api.log"))) {
        ingest(port(service), documents);
        apiMerge = awaitQuietMerge(service);
      }
      try (ChildJvm service = service(Map.of(), modelIndex, work.resolve("build-model.log"))) {
        ingest(port(service), documents);
        modelMerge = awaitQuietMerge(service);
      }
      try (ChildJvm bare = bare("constant", Map.of(), work.resolve("bare.log"));
          ChildJvm apiFloor = bare("embed", standIn.env(), work.resolve("api-floor.log"));
          ChildJvm modelFloor = bare("embed", Map.of(), work.resolve("model-floor.log"));
          ChildJvm api = service(standIn.env(), apiIndex, work.resolve("api.log"));
          ChildJvm model = service(Map.of(), modelIndex, work.resolve("model.log"))) {
        // In Which's order.
        List<URI> uris =
            List.of(
                bareUri(bare),
                bareUri(apiFloor),
                URI.create("http://127.0.0.1:" + port(api) + "/v1/search"),
                bareUri(modelFloor),
                URI.create("http://127.0.0.1:" + port(model) + "/v1/search"));
        List<String> queries = queries();
        List<ChildJvm> servers = List.of(bare, apiFloor, api, modelFloor, model);
        List<List<Measured>> rounds = new ArrayList<>();
        List<Integer> warmUps = new ArrayList<>();
        for (Which which : Which.values()) {
          rounds.add(new ArrayList<>());
          warmUps.add(warmUp(which, uris.get(which.ordinal()), queries, round));
        }
        for (int run = 0; run < runs; run++) {
          List<Which> order = new ArrayList<>(List.of(Which.values()));
          if (run % 2 == 1) {
            Collections.reverse(order);
          }
          for (Which which : order) {
            ProcessHandle server =
                ProcessHandle.of(servers.get(which.ordinal()).pid()).orElseThrow();
            long serverCpu = cpuNanos(server);
            long clientCpu = Cpu.processCpuNanos();
            LoadGenerator.Round r =
                LoadGenerator.run(uris.get(which.ordinal()), READER, queries, round);
            Measured m =
                new Measured(
                    r,
                    (cpuNanos(server) - serverCpu) / 1e6 / r.requests(),
                    (Cpu.processCpuNanos() - clientCpu) / 1e6 / r.requests());
            rounds.get(which.ordinal()).add(m);
            BenchmarkSuite.log(
                "fargate %s round %d: %.0f req/s, p99 %.1f ms, %d errors, CPU-ms/request server %.2f client %.2f"
                    .formatted(
                        which.label,
                        run,
                        r.requestsPerSecond(),
                        r.p99Millis(),
                        r.errors(),
                        m.serverCpuMillis(),
                        m.clientCpuMillis()));
          }
        }
        if (recording != null) {
          // The in-process model's service: the row with the tighter goal.
          JfrSummary.start(model.pid());
          LoadGenerator.run(uris.get(Which.MODEL.ordinal()), READER, queries, round);
          JfrSummary.dump(model.pid(), recording);
        }
        return new Result(
            documents,
            apiMerge,
            modelMerge,
            Collections.min(warmUps),
            Collections.max(warmUps),
            route(rounds.get(Which.CEILING.ordinal())),
            route(rounds.get(Which.API_FLOOR.ordinal())),
            route(rounds.get(Which.API.ordinal())),
            route(rounds.get(Which.MODEL_FLOOR.ordinal())),
            route(rounds.get(Which.MODEL.ordinal())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /**
   * Waits for the service to merge its index after the load, as a service left alone after a bulk
   * load does (ADR 0036), so that the merge's CPU does not land in a measured round.
   */
  private static QuietMerge awaitQuietMerge(ChildJvm service) {
    Matcher m = MERGED.matcher(service.awaitLog(MERGED_LINE, START));
    if (!m.lookingAt()) {
      throw new IllegalStateException("no merge logged:\n" + service.tail());
    }
    QuietMerge merge =
        m.group(3) == null
            ? new QuietMerge(Integer.parseInt(m.group(1)), false, 0)
            : new QuietMerge(Integer.parseInt(m.group(1)), true, Long.parseLong(m.group(3)));
    BenchmarkSuite.log(
        "fargate index: the service " + merge.describe() + " once writes went quiet");
    return merge;
  }

  /** A bare route in {@code mode} with the model environment {@code model}. */
  private static ChildJvm bare(String mode, Map<String, String> model, Path log) {
    Map<String, String> env = new HashMap<>(model);
    // The same model settings as the service's (see service()).
    env.put("DOCPIPE_ONNX_THREADS", "2");
    return ChildJvm.start(
        IMAGE_JVM_FLAGS, BareHelidonRoute.class.getName(), List.of(mode), env, log);
  }

  private static URI bareUri(ChildJvm bare) {
    return URI.create("http://127.0.0.1:" + bare.awaitLog(LISTENING, START) + "/bare");
  }

  private static Route route(List<Measured> rounds) {
    return new Route(
        new Samples(rounds.stream().map(m -> m.round().requestsPerSecond()).toList()),
        new Samples(rounds.stream().map(m -> m.round().p99Millis()).toList()),
        rounds.stream().mapToInt(m -> m.round().errors()).sum(),
        new Samples(rounds.stream().map(Measured::serverCpuMillis).toList()),
        new Samples(rounds.stream().map(Measured::clientCpuMillis).toList()));
  }

  /** A process's CPU time so far (user and system), as the operating system reports it. */
  private static long cpuNanos(ProcessHandle process) {
    return process
        .info()
        .totalCpuDuration()
        .orElseThrow(() -> new IllegalStateException("no CPU time for process " + process.pid()))
        .toNanos();
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
    List<String> flags = new ArrayList<>(IMAGE_JVM_FLAGS);
    flags.add("-Djava.util.logging.manager=io.docpipe.fargate.ShutdownLogManager");
    return ChildJvm.start(flags, "io.docpipe.fargate.FargateMain", List.of(), env, log);
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
    return queryTexts().stream().map(q -> "{\"query\":\"" + q + "\",\"k\":10}").toList();
  }

  /** The words of {@link #queries()}. */
  static List<String> queryTexts() {
    Random random = new Random(2);
    return IntStream.range(0, CONCURRENCY).mapToObj(i -> sentence(random, 6)).toList();
  }

  private static String sentence(Random random, int words) {
    return IntStream.range(0, words)
        .mapToObj(i -> WORDS[random.nextInt(WORDS.length)])
        .collect(Collectors.joining(" "));
  }
}
