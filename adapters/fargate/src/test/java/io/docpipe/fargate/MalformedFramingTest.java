package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests whose HTTP framing is broken, written byte by byte to a raw socket: each is a client
 * error, answered 400 with a problem body, never a 500.
 */
class MalformedFramingTest {

  @TempDir static Path indexDir;
  private static FargateService service;

  @BeforeAll
  static void start() {
    service = TestServices.start(indexDir, Map.of(), Runnable::run);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  private static String head(String headers) {
    return "POST /v1/search HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
        + READER
        + "\r\nContent-Type: application/json\r\n"
        + headers
        + "\r\n";
  }

  @Test
  void invalidChunkedBody_is400Problem() throws Exception {
    Raw r =
        exchange(
            head("Transfer-Encoding: chunked\r\n") + "zz\r\n{\"query\":\"x\"}\r\n0\r\n\r\n", false);
    r.assertProblem400();
  }

  @Test
  void contentLengthLargerThanTheBodySent_is400Problem() throws Exception {
    // 100 bytes announced, 13 sent, then the client's side of the connection ends.
    Raw r = exchange(head("Content-Length: 100\r\n") + "{\"query\":\"x\"}", true);
    r.assertProblem400();
    assertThat(r.body()).contains("the 100 bytes of its Content-Length");
  }

  @Test
  void methodTokenWithANulByte_is400Problem() throws Exception {
    Raw r = exchange("PO\0ST /v1/search HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", false);
    r.assertProblem400();
  }

  /** A response read off the socket to its end. */
  record Raw(int status, Map<String, String> headers, String body) {
    void assertProblem400() {
      assertThat(status).as("%s %s", headers, body).isEqualTo(400);
      assertThat(headers.get("content-type")).isEqualTo("application/problem+json");
      assertThat(body).contains("\"status\":400").contains("https://docpipe.io/problems/");
    }
  }

  /** Writes {@code request} as ISO-8859-1 bytes and reads until the server closes. */
  private static Raw exchange(String request, boolean halfClose) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      socket.setSoTimeout(15_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      if (halfClose) {
        socket.shutdownOutput();
      }
      String text = new String(readResponse(socket.getInputStream()), StandardCharsets.UTF_8);
      int end = text.indexOf("\r\n\r\n");
      assertThat(end).as("a whole response head: %s", text).isPositive();
      String[] lines = text.substring(0, end).split("\r\n");
      int status = Integer.parseInt(lines[0].split(" ")[1]);
      Map<String, String> headers = new java.util.TreeMap<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        headers.put(
            lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).strip());
      }
      String body = text.substring(end + 4);
      String length = headers.get("content-length");
      if (length != null) {
        body = body.substring(0, Math.min(body.length(), Integer.parseInt(length)));
      }
      return new Raw(status, headers, body);
    }
  }

  /**
   * Reads until end of stream, or until a reset after the response arrived (a server that closes
   * with unread input resets the connection).
   */
  private static byte[] readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    try {
      for (int n; (n = in.read(buffer)) >= 0 && out.size() < 1 << 20; ) {
        out.write(buffer, 0, n);
      }
    } catch (SocketException e) {
      if (out.size() == 0) {
        throw e;
      }
    }
    return out.toByteArray();
  }
}
