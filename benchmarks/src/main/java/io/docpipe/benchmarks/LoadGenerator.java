package io.docpipe.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A closed-loop HTTP load generator: a fixed number of threads, each sending its own fixed request
 * and waiting for the answer before the next (JDK {@code HttpClient}, HTTP/1.1 keep-alive). Bounded
 * in time and in requests per thread. The same generator loads docpipe and the bare route.
 */
final class LoadGenerator {

  static final int MAX_REQUESTS_PER_THREAD = 2_000_000;

  /**
   * One round: throughput and latency percentiles (ms), the requests that failed, and all the
   * requests answered (any status) in its wall time.
   */
  record Round(
      double requestsPerSecond, double p50Millis, double p99Millis, int errors, int requests) {}

  private LoadGenerator() {}

  static Round run(URI uri, String token, List<String> bodies, Duration duration)
      throws InterruptedException {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    long start = System.nanoTime();
    long end = start + duration.toNanos();
    List<long[]> perThread = new ArrayList<>();
    int[] counts = new int[bodies.size()];
    AtomicInteger errors = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < bodies.size(); t++) {
      long[] latencies = new long[MAX_REQUESTS_PER_THREAD];
      perThread.add(latencies);
      HttpRequest request =
          HttpRequest.newBuilder(uri)
              .timeout(Duration.ofSeconds(30))
              .header("Authorization", "Bearer " + token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(bodies.get(t)))
              .build();
      int thread = t;
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    int n = 0;
                    while (System.nanoTime() < end && n < latencies.length) {
                      long s = System.nanoTime();
                      try {
                        HttpResponse<Void> r =
                            http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                          errors.incrementAndGet();
                        }
                      } catch (java.io.IOException e) {
                        errors.incrementAndGet();
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                      }
                      latencies[n++] = System.nanoTime() - s;
                    }
                    counts[thread] = n;
                  }));
    }
    for (Thread t : threads) {
      t.join(duration.plusSeconds(60).toMillis());
      if (t.isAlive()) {
        t.interrupt();
        t.join(10_000);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long[] all =
        java.util.stream.IntStream.range(0, bodies.size())
            .mapToObj(i -> Arrays.stream(perThread.get(i), 0, counts[i]))
            .flatMapToLong(s -> s)
            .toArray();
    if (all.length == 0) {
      throw new IllegalStateException("no request completed against " + uri);
    }
    return new Round(
        all.length / seconds,
        SearchBenchmark.percentile(all, 0.50) / 1e3,
        SearchBenchmark.percentile(all, 0.99) / 1e3,
        errors.get(),
        all.length);
  }
}
