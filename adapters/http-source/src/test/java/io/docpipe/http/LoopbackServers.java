package io.docpipe.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real HTTP and a real HTTPS server on 127.0.0.1 (port 0) sharing one table of handlers, counting
 * every request per path. The HTTPS certificate is made by the JDK's {@code keytool} for {@value
 * #CERT_HOST} (and 127.0.0.1), so a client that trusts it must still check the host name.
 */
final class LoopbackServers implements AutoCloseable {

  static final String CERT_HOST = "docs.example.test";
  private static final char[] PASSWORD = "changeit".toCharArray();

  private final HttpServer http;
  private final HttpsServer https;
  private final SSLContext clientTls;
  private final Map<String, HttpHandler> handlers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  LoopbackServers(Path workDir) throws Exception {
    Path keyStoreFile = workDir.resolve("server.p12");
    makeKeyStore(keyStoreFile);
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStoreFile)) {
      keyStore.load(in, PASSWORD);
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(keyStore, PASSWORD);
    SSLContext serverTls = SSLContext.getInstance("TLS");
    serverTls.init(keys.getKeyManagers(), null, null);

    KeyStore trusted = KeyStore.getInstance("PKCS12");
    trusted.load(null, null);
    Certificate certificate = keyStore.getCertificate("server");
    trusted.setCertificateEntry("server", certificate);
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(trusted);
    clientTls = SSLContext.getInstance("TLS");
    clientTls.init(null, trust.getTrustManagers(), null);

    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
    http = HttpServer.create(loopback, 0);
    https = HttpsServer.create(loopback, 0);
    https.setHttpsConfigurator(new HttpsConfigurator(serverTls));
    http.createContext("/", this::dispatch);
    https.createContext("/", this::dispatch);
    http.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    https.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    http.start();
    https.start();
  }

  private static void makeKeyStore(Path file) throws Exception {
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process process =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                "server",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + CERT_HOST,
                "-ext",
                "SAN=dns:" + CERT_HOST + ",ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                file.toString(),
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD))
            .redirectErrorStream(true)
            .start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("keytool failed: " + output);
    }
  }

  /** A client TLS context that trusts only this server's certificate. */
  SSLContext clientTls() {
    return clientTls;
  }

  int httpPort() {
    return http.getAddress().getPort();
  }

  int httpsPort() {
    return https.getAddress().getPort();
  }

  void on(String path, HttpHandler handler) {
    handlers.put(path, handler);
  }

  void serve(String path, int status, String contentType, byte[] body) {
    on(
        path,
        exchange -> {
          exchange.getResponseHeaders().set("Content-Type", contentType);
          exchange.getResponseHeaders().set("ETag", "\"v1-" + body.length + "\"");
          exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
  }

  void redirect(String path, int status, String location) {
    on(
        path,
        exchange -> {
          exchange.getResponseHeaders().set("Location", location);
          exchange.sendResponseHeaders(status, -1);
          exchange.close();
        });
  }

  int hits(String path) {
    AtomicInteger count = hits.get(path);
    return count == null ? 0 : count.get();
  }

  int totalHits() {
    return total.get();
  }

  private void dispatch(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    total.incrementAndGet();
    hits.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    HttpHandler handler = handlers.get(path);
    if (handler == null) {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    handler.handle(exchange);
  }

  @Override
  public void close() {
    http.stop(0);
    https.stop(0);
    ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    ((java.util.concurrent.ExecutorService) https.getExecutor()).shutdownNow();
  }
}
