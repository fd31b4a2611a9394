package io.docpipe.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.port.out.SourceException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer on 127.0.0.1 that feeds a TLS handshake, or a TLS record of the response, one byte per
 * second: each read gets a byte well within the read timeout, so only the total deadline can end
 * the fetch, and it must, within its total timeout + 1 s.
 */
class SlowPeerDeadlineTest {

  private static final String HOST = LoopbackServers.CERT_HOST;
  private static final Duration TOTAL = Duration.ofSeconds(3);

  /** Bytes a slow peer sends before it gives up: 25 s, far past the deadline. */
  private static final int MAX_DRIBBLED_BYTES = 25;

  @TempDir static Path temp;
  @AutoClose private static LoopbackServers servers;

  @BeforeAll
  static void start() throws Exception {
    servers = new LoopbackServers(temp);
  }

  @Test
  void aHandshakeFedOneBytePerSecond_endsTheFetchWithinTheTotalTimeout() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Thread peer =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket client = server.accept()) {
                      // A handshake record header announcing 16 KiB, then its body, slowly.
                      byte[] record = {0x16, 0x03, 0x03, 0x40, 0x00};
                      dribble(client.getOutputStream(), record);
                    } catch (IOException | InterruptedException e) {
                      // the client closed the connection: the point of the test
                    }
                  });
      try {
        assertFetchEndsInTime(server.getLocalPort());
      } finally {
        peer.interrupt();
      }
    }
  }

  @Test
  void aRecordFedOneBytePerSecond_endsTheFetchWithinTheTotalTimeout() throws Exception {
    // A relay in front of the real HTTPS server: the handshake passes at full speed; once the
    // server starts its response, every byte of it comes one per second.
    AtomicBoolean responding = new AtomicBoolean();
    servers.on(
        "/slow-record",
        (HttpExchange exchange) -> {
          responding.set(true);
          byte[] body = "slow but sure".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    try (ServerSocket relay = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
      Thread relayThread =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try (Socket client = relay.accept();
                        Socket upstream =
                            new Socket(InetAddress.getByName("127.0.0.1"), servers.httpsPort())) {
                      Thread up =
                          Thread.ofVirtual()
                              .start(() -> copy(client, upstream, new AtomicBoolean(false)));
                      copy(upstream, client, responding);
                      up.interrupt();
                    } catch (IOException e) {
                      // the client closed the connection: the point of the test
                    }
                  });
      try {
        assertFetchEndsInTime(relay.getLocalPort(), "/slow-record");
        assertThat(responding).as("the handshake passed and the server answered").isTrue();
      } finally {
        relayThread.interrupt();
      }
    }
  }

  private static void assertFetchEndsInTime(int port) {
    assertFetchEndsInTime(port, "/doc");
  }

  private static void assertFetchEndsInTime(int port, String path) {
    HttpSourceSettings settings =
        HttpSourceSettings.defaults()
            .withAllowedPorts(Set.of(443, port))
            .withAllowList(List.of(HOST))
            .withResolver(new FixedResolver(Map.of(HOST, List.of("127.0.0.1"))))
            .withSslContext(servers.clientTls())
            .withTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(2), TOTAL);
    URI url = URI.create("https://" + HOST + ":" + port + path);
    long start = System.nanoTime();

    SourceException failure =
        catchThrowableOfType(
            SourceException.class,
            () ->
                HttpSources.source(settings)
                    .fetch(new DocumentRef(DocumentId.of("slow"), url, Map.of(), null), 1 << 20));

    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(failure).as("the fetch fails").isNotNull();
    assertThat(failure.reason()).isEqualTo(FailureReason.SOURCE_UNAVAILABLE);
    assertThat(failure).hasMessageContaining("total time allowed");
    assertThat(took).as("fetch time").isLessThan(TOTAL.plusSeconds(1));
  }

  /** Writes {@code head} and then zeros, one byte per second, up to the bound. */
  private static void dribble(OutputStream out, byte[] head)
      throws IOException, InterruptedException {
    for (int i = 0; i < MAX_DRIBBLED_BYTES; i++) {
      out.write(i < head.length ? head[i] : 0);
      out.flush();
      Thread.sleep(1_000); // the hostile peer's pace, not a wait for a condition
    }
  }

  /** Copies bytes at full speed, or one per second once {@code slow} is set. */
  private static void copy(Socket from, Socket to, AtomicBoolean slow) {
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      int dribbled = 0;
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!slow.get()) {
          out.write(buffer, 0, n);
          out.flush();
          continue;
        }
        for (int i = 0; i < n && dribbled < MAX_DRIBBLED_BYTES; i++, dribbled++) {
          out.write(buffer[i]);
          out.flush();
          Thread.sleep(1_000); // the hostile peer's pace
        }
        if (dribbled >= MAX_DRIBBLED_BYTES) {
          return;
        }
      }
    } catch (IOException | InterruptedException e) {
      // one side closed: the relay ends
    }
  }
}
