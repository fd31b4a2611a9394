package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM under load, as ECS sends it: the service in its own JVM, clients searching and ingesting
 * concurrently, then {@link Process#destroy()} (SIGTERM on Linux).
 */
class SigtermProcessTest {

  private static final int CLIENTS = 4;
  private static final int MAX_REQUESTS_PER_CLIENT = 2_000;
  private static final Duration DRAIN_BUDGET = Duration.ofSeconds(10);

  @TempDir Path indexDir;

  /** What one client saw last, and everything that was neither a 200 nor an orderly refusal. */
  private final ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();

  private final AtomicInteger ok = new AtomicInteger();
  private final AtomicInteger shuttingDown = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();

  @Test
  void sigterm_finishesInFlightRequests_refusesNewOnes_andExitsZeroWithinTheBudget()
      throws Exception {
    try (ServiceProcess service =
        new ServiceProcess(
            indexDir, Map.of("DOCPIPE_HTTP_DRAIN_BUDGET", DRAIN_BUDGET.toSeconds() + "s"))) {
      TestServices.Client client = service.awaitReady();
      int port = client.port();
      assertThat(
              client
                  .post(
                      "/v1/documents",
                      WRITER,
                      "{\"documents\":[{\"id\":\"seed\",\"text\":\"graceful shutdown of a service\"}]}")
                  .statusCode())
          .isEqualTo(200);

      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        int id = c;
        clients.add(Thread.ofPlatform().start(() -> load(port, id)));
      }
      assertThat(Poll.until(Duration.ofSeconds(60), () -> ok.get() >= 20 || !failures.isEmpty()))
          .isTrue();
      assertThat(failures).as("before SIGTERM").isEmpty();

      long signalled = System.nanoTime();
      service.process.destroy(); // SIGTERM
      boolean sawNotReady =
          Poll.until(Duration.ofSeconds(5), () -> client.statusOrZero("/health/ready") == 503);
      boolean exited = service.process.waitFor(DRAIN_BUDGET.toSeconds() + 10, TimeUnit.SECONDS);
      long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
      for (Thread t : clients) {
        t.join(Duration.ofSeconds(30));
      }

      assertThat(exited).as("exited; logs: %s", service.tail()).isTrue();
      assertThat(service.process.exitValue()).as("exit code; logs: %s", service.tail()).isZero();
      assertThat(exitMillis).isLessThan(DRAIN_BUDGET.toMillis() + 5_000);
      assertThat(sawNotReady).as("readiness went down while draining").isTrue();
      assertThat(failures).as("failed requests (in flight at SIGTERM or torn down)").isEmpty();
      assertThat(shuttingDown.get()).as("new requests refused with 503 shutting-down").isPositive();
      assertThat(shuttingDown.get() + refused.get()).isGreaterThanOrEqualTo(CLIENTS);
      assertThat(service.logged("all work finished")).as("drain log: %s", service.tail()).isTrue();
    }
  }

  /** Searches (even clients) or ingests one document (odd) until the service refuses it. */
  private void load(int port, int id) {
    TestServices.Client client = new TestServices.Client(port);
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    for (int i = 0; i < MAX_REQUESTS_PER_CLIENT && System.nanoTime() < deadline; i++) {
      HttpResponse<String> response;
      try {
        response =
            id % 2 == 0
                ? client.post("/v1/search", READER, "{\"query\":\"shutdown\",\"k\":3}")
                : client.post(
                    "/v1/documents",
                    WRITER,
                    "{\"documents\":[{\"id\":\"c"
                        + id
                        + "-"
                        + i
                        + "\",\"text\":\"document "
                        + i
                        + " from client "
                        + id
                        + " about draining\"}]}");
      } catch (java.io.UncheckedIOException e) {
        if (e.getCause() instanceof ConnectException) {
          refused.incrementAndGet(); // the server had stopped listening: an orderly refusal
        } else {
          failures.add("client " + id + " request " + i + ": " + e.getCause());
        }
        return;
      }
      if (response.statusCode() == 200) {
        ok.incrementAndGet();
        continue;
      }
      if (response.statusCode() == 503 && response.body().contains("/problems/shutting-down")) {
        shuttingDown.incrementAndGet();
      } else {
        failures.add(
            "client "
                + id
                + " request "
                + i
                + ": "
                + response.statusCode()
                + " "
                + response.body());
      }
      return;
    }
    failures.add("client " + id + " was never refused");
  }
}
