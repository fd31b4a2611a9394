package io.docpipe.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {

  @Test
  void countsEveryAnsweredRequestAndEveryFailureWithinItsTime() throws Exception {
    AtomicInteger served = new AtomicInteger();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            // Every third request fails: the generator must count it as an error, not drop it.
            int status = served.incrementAndGet() % 3 == 0 ? 500 : 200;
            exchange.sendResponseHeaders(status, -1);
          }
        });
    server.start();
    try {
      URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      long start = System.nanoTime();
      LoadGenerator.Round round =
          LoadGenerator.run(uri, "token", List.of("{}", "{}"), Duration.ofMillis(800));
      double seconds = (System.nanoTime() - start) / 1e9;

      assertThat(seconds).isLessThan(30);
      assertThat(round.requestsPerSecond()).isGreaterThan(0);
      long requests = Math.round(round.requestsPerSecond() * 0.8);
      assertThat(served.get()).isGreaterThanOrEqualTo((int) (requests * 0.8));
      assertThat(round.errors())
          .isCloseTo(served.get() / 3, org.assertj.core.data.Offset.offset(2));
      assertThat(round.p99Millis()).isGreaterThanOrEqualTo(round.p50Millis());
    } finally {
      server.stop(0);
    }
  }
}
