package io.docpipe.s3;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * A minimal S3 REST stand-in on 127.0.0.1 for what S3Mock gets wrong: it lists keys in UTF-8 byte
 * order, as S3 does. It serves path-style {@code GetObject}, {@code HeadObject} and {@code
 * ListObjectsV2} (prefix, start-after, continuation tokens, max-keys, {@code encoding-type=url})
 * with S3's XML shapes and error codes; objects are put and deleted through its Java methods, and
 * request signatures are not checked.
 */
final class ByteOrderS3 implements AutoCloseable {

  private record StoredObject(byte[] bytes, String contentType, String etag) {}

  private static final String XMLNS = "http://s3.amazonaws.com/doc/2006-03-01/";

  private final Map<String, NavigableMap<String, StoredObject>> buckets = new ConcurrentHashMap<>();
  private final HttpServer server;

  ByteOrderS3() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  void createBucket(String bucket) {
    buckets.putIfAbsent(bucket, new ConcurrentSkipListMap<>(ByteOrderS3::utf8Order));
  }

  void put(String bucket, String key, byte[] bytes, String contentType) {
    buckets.get(bucket).put(key, new StoredObject(bytes.clone(), contentType, etag(bytes)));
  }

  void delete(String bucket, String key) {
    buckets.get(bucket).remove(key);
  }

  /** S3's key order: unsigned UTF-8 bytes. */
  static int utf8Order(String a, String b) {
    return Arrays.compareUnsigned(
        a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
  }

  private static String etag(byte[] bytes) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String rawPath = exchange.getRequestURI().getRawPath();
      String path = rawPath.substring(1);
      int slash = path.indexOf('/');
      String bucket = slash < 0 ? path : path.substring(0, slash);
      String key =
          slash < 0
              ? ""
              : URLDecoder.decode(
                  path.substring(slash + 1).replace("+", "%2B"), StandardCharsets.UTF_8);
      NavigableMap<String, StoredObject> objects = buckets.get(bucket);
      String method = exchange.getRequestMethod();
      if (objects == null) {
        error(exchange, 404, "NoSuchBucket", "The specified bucket does not exist", method);
        return;
      }
      if (key.isEmpty() && method.equals("GET")) {
        list(exchange, bucket, objects, query(exchange.getRequestURI().getRawQuery()));
        return;
      }
      StoredObject object = objects.get(key);
      if (!method.equals("GET") && !method.equals("HEAD")) {
        error(exchange, 501, "NotImplemented", "Only GET and HEAD are served", method);
        return;
      }
      if (object == null) {
        error(exchange, 404, "NoSuchKey", "The specified key does not exist.", method);
        return;
      }
      exchange.getResponseHeaders().set("Content-Type", object.contentType());
      exchange.getResponseHeaders().set("ETag", object.etag());
      exchange.getResponseHeaders().set("Last-Modified", "Mon, 23 Nov 2026 12:00:00 GMT");
      if (method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Content-Length", String.valueOf(object.bytes().length));
        exchange.sendResponseHeaders(200, -1);
        return;
      }
      exchange.sendResponseHeaders(200, object.bytes().length == 0 ? -1 : object.bytes().length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(object.bytes());
      }
    }
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> params = new HashMap<>();
    if (rawQuery == null) {
      return params;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(name, value);
    }
    return params;
  }

  private static void list(
      HttpExchange exchange,
      String bucket,
      NavigableMap<String, StoredObject> objects,
      Map<String, String> params)
      throws IOException {
    if (!"2".equals(params.get("list-type"))) {
      error(exchange, 501, "NotImplemented", "Only ListObjectsV2 is served", "GET");
      return;
    }
    String prefix = params.getOrDefault("prefix", "");
    String startAfter = params.get("start-after");
    String token = params.get("continuation-token");
    int maxKeys = Integer.parseInt(params.getOrDefault("max-keys", "1000"));
    boolean url = "url".equals(params.get("encoding-type"));
    String after =
        token != null
            ? new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8)
            : startAfter;
    NavigableMap<String, StoredObject> tail =
        after == null ? objects.tailMap(prefix, true) : objects.tailMap(after, false);
    StringBuilder contents = new StringBuilder();
    int count = 0;
    String last = null;
    boolean truncated = false;
    for (Map.Entry<String, StoredObject> entry : tail.entrySet()) {
      String key = entry.getKey();
      if (utf8Order(key, prefix) < 0) {
        continue;
      }
      if (!key.startsWith(prefix)) {
        break;
      }
      if (count == maxKeys) {
        truncated = true;
        break;
      }
      contents
          .append("<Contents><Key>")
          .append(text(key, url))
          .append("</Key><LastModified>2026-11-23T12:00:00.000Z</LastModified><ETag>")
          .append(xml(entry.getValue().etag()))
          .append("</ETag><Size>")
          .append(entry.getValue().bytes().length)
          .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
      count++;
      last = key;
    }
    StringBuilder body = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
    body.append("<ListBucketResult xmlns=\"")
        .append(XMLNS)
        .append("\">")
        .append("<Name>")
        .append(xml(bucket))
        .append("</Name>")
        .append("<Prefix>")
        .append(text(prefix, url))
        .append("</Prefix>");
    if (startAfter != null) {
      body.append("<StartAfter>").append(text(startAfter, url)).append("</StartAfter>");
    }
    if (token != null) {
      body.append("<ContinuationToken>").append(xml(token)).append("</ContinuationToken>");
    }
    if (truncated) {
      body.append("<NextContinuationToken>")
          .append(Base64.getUrlEncoder().encodeToString(last.getBytes(StandardCharsets.UTF_8)))
          .append("</NextContinuationToken>");
    }
    body.append("<KeyCount>")
        .append(count)
        .append("</KeyCount>")
        .append("<MaxKeys>")
        .append(maxKeys)
        .append("</MaxKeys>");
    if (url) {
      body.append("<EncodingType>url</EncodingType>");
    }
    body.append("<IsTruncated>")
        .append(truncated)
        .append("</IsTruncated>")
        .append(contents)
        .append("</ListBucketResult>");
    send(exchange, 200, body.toString());
  }

  private static String text(String value, boolean urlEncoded) {
    return xml(
        urlEncoded ? URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20") : value);
  }

  private static String xml(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static void error(
      HttpExchange exchange, int status, String code, String message, String method)
      throws IOException {
    if (method.equals("HEAD")) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    send(
        exchange,
        status,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>"
            + code
            + "</Code><Message>"
            + xml(message)
            + "</Message><RequestId>standin</RequestId></Error>");
  }

  private static void send(HttpExchange exchange, int status, String xmlBody) throws IOException {
    byte[] bytes = xmlBody.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/xml");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
