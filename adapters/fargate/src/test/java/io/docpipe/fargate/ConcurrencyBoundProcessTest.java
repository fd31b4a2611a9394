package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server-wide bound, against the service as ECS runs it: its own JVM with a 256 MiB heap that
 * exits on OutOfMemoryError, 200 requests at once each carrying a 6 MiB body (searches with
 * multi-megabyte filter arrays, and ingest bodies that parse before they are refused).
 */
class ConcurrencyBoundProcessTest {

  private static final int REQUESTS = 200;
  private static final int BODY_BYTES = 6 * 1024 * 1024;
  private static final Duration LOAD_DEADLINE = Duration.ofMinutes(4);

  @TempDir Path workDir;

  @Test
  void twoHundredConcurrent6MiBBodies_under256MiB_areAnsweredOrRefused503_andTheProcessLives()
      throws Exception {
    try (ServiceProcess service =
        new ServiceProcess(workDir, Map.of(), List.of("-Xmx256m", "-Xms256m"))) {
      TestServices.Client client = service.awaitReady();
      int port = client.port();

      byte[] search = searchWithAHugeFilter();
      byte[] ingest = ingestOfTooManyDocuments();
      // Several clients: one JDK client does all its sockets' I/O on one selector thread.
      List<HttpClient> https = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        https.add(
            HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(60))
                .build());
      }

      AtomicBoolean loadRunning = new AtomicBoolean(true);
      ConcurrentLinkedQueue<String> livenessFailures = new ConcurrentLinkedQueue<>();
      AtomicInteger livenessChecks = new AtomicInteger();
      Thread liveness =
          Thread.ofPlatform()
              .start(
                  () -> {
                    long deadline = System.nanoTime() + LOAD_DEADLINE.toNanos();
                    while (loadRunning.get() && System.nanoTime() < deadline) {
                      int status = client.statusOrZero("/health/live");
                      livenessChecks.incrementAndGet();
                      if (status != 200) {
                        livenessFailures.add("liveness answered " + status);
                      }
                      try {
                        Thread.sleep(100); // a probe's period, not a wait for a condition
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });

      Map<Integer, AtomicInteger> statuses = new TreeMap<>();
      ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
      try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
          boolean searching = i % 2 == 0;
          HttpClient http = https.get(i % https.size());
          HttpRequest request =
              HttpRequest.newBuilder(
                      java.net.URI.create(
                          "http://127.0.0.1:"
                              + port
                              + (searching ? "/v1/search" : "/v1/documents")))
                  .timeout(LOAD_DEADLINE)
                  .header("Authorization", "Bearer " + (searching ? READER : WRITER))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(searching ? search : ingest))
                  .build();
          answers.add(
              clients.submit(
                  () -> {
                    try {
                      return http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                    } catch (IOException e) {
                      failures.add(e.toString());
                      return -1;
                    }
                  }));
        }
        for (Future<Integer> answer : answers) {
          int status = answer.get(LOAD_DEADLINE.toSeconds(), TimeUnit.SECONDS);
          statuses.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
        }
      } finally {
        loadRunning.set(false);
        liveness.join(Duration.ofSeconds(30));
      }

      System.err.println("answers by status: " + statuses + "; liveness checks " + livenessChecks);
      assertThat(service.process.isAlive()).as("alive; log: %s", service.tail()).isTrue();
      assertThat(service.logged("OutOfMemoryError")).isFalse();
      assertThat(failures).as("requests that got no answer; log: %s", service.tail()).isEmpty();
      assertThat(statuses.keySet())
          .as("answers by status: %s", statuses)
          .allMatch(s -> s >= 200 && s < 300 || s >= 400 && s < 500 || s == 503);
      assertThat(statuses).as("the bound refused some").containsKey(503);
      assertThat(statuses.keySet()).as("and served some").anyMatch(s -> s < 500);
      assertThat(livenessChecks.get()).isPositive();
      assertThat(livenessFailures).as("liveness during the load").isEmpty();
      // Once the burst is over, the bound is free again.
      assertThat(
              Poll.until(
                  Duration.ofSeconds(60),
                  () ->
                      client
                              .post("/v1/search", READER, "{\"query\":\"after the burst\"}")
                              .statusCode()
                          == 200))
          .isTrue();
    }
  }

  /** A search whose filter is one array of some 600,000 values, 6 MiB in all. */
  private static byte[] searchWithAHugeFilter() {
    StringBuilder sb =
        new StringBuilder(BODY_BYTES).append("{\"query\":\"x\",\"filter\":{\"team\":[");
    String tail = "]}}";
    for (int i = 0; sb.length() + 12 + tail.length() < BODY_BYTES; i++) {
      sb.append(i == 0 ? "" : ",").append('"').append(String.format("v%08d", i)).append('"');
    }
    return pad(sb.append(tail).toString());
  }

  /** 6 MiB of documents, more of them than one request may hold: parsed, then refused (413). */
  private static byte[] ingestOfTooManyDocuments() {
    StringBuilder sb = new StringBuilder(BODY_BYTES).append("{\"documents\":[");
    String tail = "]}";
    String text = "a".repeat(30_000);
    for (int i = 0; sb.length() + 30_100 + tail.length() < BODY_BYTES; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"id\":\"d")
          .append(i)
          .append("\",\"text\":\"")
          .append(text)
          .append("\"}");
    }
    return pad(sb.append(tail).toString());
  }

  /** Pads with trailing white space (valid JSON) to exactly the body limit. */
  private static byte[] pad(String json) {
    byte[] bytes = (json + " ".repeat(BODY_BYTES - json.length())).getBytes(StandardCharsets.UTF_8);
    assertThat(bytes).hasSize(BODY_BYTES);
    return bytes;
  }
}
