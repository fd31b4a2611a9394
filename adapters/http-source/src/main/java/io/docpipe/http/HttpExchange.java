package io.docpipe.http;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP/1.1 GET over a socket opened to an address the guard checked. A plain socket rather than
 * {@code java.net.http}: that client resolves host names itself and cannot be told which address to
 * use, so a second lookup (DNS rebinding) could lead it elsewhere. Here the TCP connection goes to
 * the checked address while TLS still verifies the certificate against the URL's host name (SNI and
 * endpoint identification set from it). No proxy, no connection reuse, no compression.
 */
final class HttpExchange implements AutoCloseable {

  static final int MAX_LINE_LENGTH = 8_192;
  static final int MAX_HEADER_BYTES = 64 * 1024;
  static final int MAX_HEADERS = 200;

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] ([0-9]{3})(?: .*)?");

  /** A response's status and headers (names in lower case); the body is read separately. */
  record Response(int status, Map<String, List<String>> headers) {

    @Nullable String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.getFirst();
    }
  }

  /** The instant by which the whole fetch must be done. */
  record Deadline(long nanos) {

    static Deadline after(Duration total) {
      return new Deadline(System.nanoTime() + total.toNanos());
    }

    boolean passed() {
      return System.nanoTime() - nanos >= 0;
    }

    /** The smaller of {@code cap} and the time left, in whole milliseconds (at least 1). */
    int millis(Duration cap) throws SocketTimeoutException {
      long left = nanos - System.nanoTime();
      if (left <= 0) {
        throw new SocketTimeoutException("the total time allowed for this document is used up");
      }
      // Rounded up, so that a read that times out at the deadline finds it passed.
      long millis = Math.min(cap.toMillis(), (left + 999_999) / 1_000_000);
      return (int) Math.min(Integer.MAX_VALUE, Math.max(1, millis));
    }
  }

  /**
   * Closes a socket when the deadline passes, whatever the peer does. Socket timeouts bound each
   * read, but a TLS handshake message or record is assembled from many reads, each allowed the full
   * timeout: a peer sending one byte a second would hold a fetch for as long as it likes. Closing
   * the socket from another thread ends any read or write blocked on it.
   */
  static final class Watchdog implements AutoCloseable {
    private final Thread thread;

    Watchdog(Socket socket, Deadline deadline) {
      this.thread =
          Thread.ofVirtual()
              .name("docpipe-fetch-deadline")
              .start(
                  () -> {
                    try {
                      long left;
                      while ((left = deadline.nanos() - System.nanoTime()) > 0) {
                        Thread.sleep(Duration.ofNanos(left));
                      }
                      closeQuietly(socket);
                    } catch (InterruptedException e) {
                      // the exchange ended first: nothing to close
                    }
                  });
    }

    @Override
    public void close() {
      thread.interrupt();
    }
  }

  private final Socket socket;
  private final Watchdog watchdog;
  private final InputStream in;
  private final Deadline deadline;
  private final Duration readTimeout;
  private int headerBytes;

  private HttpExchange(Socket socket, Watchdog watchdog, Deadline deadline, Duration readTimeout)
      throws IOException {
    this.socket = socket;
    this.watchdog = watchdog;
    this.deadline = deadline;
    this.readTimeout = readTimeout;
    this.in = new java.io.BufferedInputStream(new TimedInput(socket.getInputStream()), 16 * 1024);
  }

  /** Connects to the first of the target's checked addresses that answers. */
  static HttpExchange open(
      UrlGuard.Target target,
      @Nullable SSLSocketFactory tls,
      Duration connectTimeout,
      Duration readTimeout,
      Deadline deadline)
      throws IOException {
    IOException last = null;
    for (InetAddress address : target.addresses()) {
      Socket socket = new Socket(Proxy.NO_PROXY);
      Watchdog watchdog = new Watchdog(socket, deadline); // a TLS socket closes with it
      try {
        socket.connect(
            new InetSocketAddress(address, target.port()), deadline.millis(connectTimeout));
        socket.setSoTimeout(deadline.millis(connectTimeout));
        if (target.tls()) {
          socket = handshake(socket, target, requireTls(tls));
        }
        return new HttpExchange(socket, watchdog, deadline, readTimeout);
      } catch (IOException e) {
        watchdog.close();
        closeQuietly(socket);
        if (deadline.passed()) {
          throw usedUp(e);
        }
        if (e instanceof javax.net.ssl.SSLException) {
          throw e; // a certificate problem is not fixed by another address of the same host
        }
        last = e;
      }
    }
    throw last != null ? last : new IOException("no address to connect to");
  }

  private static SSLSocketFactory requireTls(@Nullable SSLSocketFactory tls) {
    if (tls == null) {
      throw new IllegalStateException("no TLS socket factory");
    }
    return tls;
  }

  private static Socket handshake(Socket plain, UrlGuard.Target target, SSLSocketFactory factory)
      throws IOException {
    SSLSocket ssl = (SSLSocket) factory.createSocket(plain, target.host(), target.port(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    if (target.hostIsName()) {
      parameters.setServerNames(List.of(new SNIHostName(target.host())));
    }
    ssl.setSSLParameters(parameters);
    ssl.startHandshake();
    return ssl;
  }

  /** Sends the GET and reads the final status line and headers (skipping 1xx responses). */
  Response get(UrlGuard.Target target) throws IOException {
    String request =
        "GET "
            + target.requestTarget()
            + " HTTP/1.1\r\n"
            + "Host: "
            + target.hostHeader()
            + "\r\n"
            + "User-Agent: docpipe\r\n"
            + "Accept: */*\r\n"
            + "Accept-Encoding: identity\r\n"
            + "Connection: close\r\n\r\n";
    OutputStream out = socket.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    while (true) {
      String statusLine = readLine();
      Matcher m = STATUS_LINE.matcher(statusLine);
      if (!m.matches()) {
        throw new ProtocolException("not an HTTP/1.x status line: " + abbreviate(statusLine));
      }
      int status = Integer.parseInt(m.group(1));
      Map<String, List<String>> headers = readHeaders();
      if (status >= 100 && status < 200 && status != 101) {
        continue;
      }
      return new Response(status, headers);
    }
  }

  /**
   * The body of {@code response}, or {@code null} when it is longer than {@code maxBytes} (then at
   * most {@code maxBytes + 1} bytes were read).
   */
  byte @Nullable [] body(Response response, long maxBytes) throws IOException {
    int status = response.status();
    if (status == 204 || status == 205 || status == 304) {
      return new byte[0];
    }
    String transferEncoding = response.header("transfer-encoding");
    InputStream body;
    if (transferEncoding != null) {
      if (!transferEncoding.strip().equalsIgnoreCase("chunked")) {
        throw new ProtocolException("unsupported transfer encoding: " + transferEncoding);
      }
      body = new ChunkedInput();
    } else {
      long length = contentLength(response);
      body = length < 0 ? in : new FixedLengthInput(length);
    }
    return readAtMost(body, maxBytes);
  }

  /** The declared body length, -1 when none is declared. */
  static long contentLength(Response response) throws ProtocolException {
    List<String> values = response.headers().getOrDefault("content-length", List.of());
    long length = -1;
    for (String value : values) {
      for (String part : value.split(",")) {
        String v = part.strip();
        if (!v.matches("[0-9]{1,18}")) {
          throw new ProtocolException("malformed Content-Length: " + abbreviate(value));
        }
        long parsed = Long.parseLong(v);
        if (length >= 0 && parsed != length) {
          throw new ProtocolException("conflicting Content-Length values");
        }
        length = parsed;
      }
    }
    return length;
  }

  static byte @Nullable [] readAtMost(InputStream body, long maxBytes) throws IOException {
    long cap = Math.min(maxBytes, Integer.MAX_VALUE - 16);
    ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(cap + 1, 64 * 1024));
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    while (true) {
      int want = (int) Math.min(buffer.length, cap + 1 - total);
      if (want <= 0) {
        return null;
      }
      int read = body.read(buffer, 0, want);
      if (read < 0) {
        return out.toByteArray();
      }
      out.write(buffer, 0, read);
      total += read;
    }
  }

  private Map<String, List<String>> readHeaders() throws IOException {
    Map<String, List<String>> headers = new TreeMap<>();
    int count = 0;
    while (true) {
      String line = readLine();
      if (line.isEmpty()) {
        return headers;
      }
      if (++count > MAX_HEADERS) {
        throw new ProtocolException("more than " + MAX_HEADERS + " header lines");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw new ProtocolException("malformed header line: " + abbreviate(line));
      }
      String name = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
      headers.computeIfAbsent(name, k -> new ArrayList<>()).add(line.substring(colon + 1).strip());
    }
  }

  /** One CRLF- (or LF-) terminated line of the head, within the head's size limits. */
  private String readLine() throws IOException {
    byte[] line = new byte[256];
    int length = 0;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed in the middle of the response head");
      }
      if (++headerBytes > MAX_HEADER_BYTES) {
        throw new ProtocolException("response head larger than " + MAX_HEADER_BYTES + " bytes");
      }
      if (b == '\n') {
        if (length > 0 && line[length - 1] == '\r') {
          length--;
        }
        return new String(line, 0, length, StandardCharsets.ISO_8859_1);
      }
      if (length == MAX_LINE_LENGTH) {
        throw new ProtocolException("header line longer than " + MAX_LINE_LENGTH + " bytes");
      }
      if (length == line.length) {
        line = Arrays.copyOf(line, line.length * 2);
      }
      line[length++] = (byte) b;
    }
  }

  private static String abbreviate(String s) {
    return s.length() <= 100 ? s : s.substring(0, 100) + "…";
  }

  @Override
  public void close() {
    watchdog.close();
    closeQuietly(socket);
  }

  /** What a socket closed by the {@link Watchdog} throws, said as what it is. */
  static SocketTimeoutException usedUp(IOException cause) {
    SocketTimeoutException timeout =
        new SocketTimeoutException("the total time allowed for this document is used up");
    timeout.initCause(cause);
    return timeout;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Nothing to do: the exchange is over either way.
    }
  }

  /** The socket's input with each read bounded by the read timeout and the total deadline. */
  private final class TimedInput extends InputStream {
    private final InputStream raw;

    TimedInput(InputStream raw) {
      this.raw = raw;
    }

    @Override
    public int read() throws IOException {
      socket.setSoTimeout(deadline.millis(readTimeout));
      return raw.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      socket.setSoTimeout(deadline.millis(readTimeout));
      return raw.read(b, off, len);
    }
  }

  /** A body's bytes, read in blocks; a single byte is a block of one. */
  private abstract static class BodyInput extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public abstract int read(byte[] b, int off, int len) throws IOException;
  }

  /** A body of declared length: ends there, and fails if the connection closes before. */
  private final class FixedLengthInput extends BodyInput {
    private final long length;
    private long remaining;

    FixedLengthInput(long length) {
      this.length = length;
      this.remaining = length;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (remaining == 0) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, remaining));
      if (n < 0) {
        throw new EOFException(
            "connection closed after " + (length - remaining) + " of " + length + " bytes");
      }
      remaining -= n;
      return n;
    }
  }

  /** A chunked body (RFC 9112 §7.1); trailers are read and ignored. */
  private final class ChunkedInput extends BodyInput {
    private long chunkLeft;
    private boolean done;

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (done) {
        return -1;
      }
      if (chunkLeft == 0) {
        headerBytes = 0; // each size line and the trailers get the head's budget anew
        String sizeLine = readLine();
        int semicolon = sizeLine.indexOf(';');
        String size = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip();
        if (!size.matches("[0-9a-fA-F]{1,15}")) {
          throw new ProtocolException("malformed chunk size: " + abbreviate(sizeLine));
        }
        chunkLeft = Long.parseLong(size, 16);
        if (chunkLeft == 0) {
          while (!readLine().isEmpty()) {
            // trailer fields: not used
          }
          done = true;
          return -1;
        }
      }
      int n = in.read(b, off, (int) Math.min(len, chunkLeft));
      if (n < 0) {
        throw new EOFException("connection closed in the middle of a chunk");
      }
      chunkLeft -= n;
      if (chunkLeft == 0 && !readLine().isEmpty()) {
        throw new ProtocolException("chunk not followed by CRLF");
      }
      return n;
    }
  }
}
