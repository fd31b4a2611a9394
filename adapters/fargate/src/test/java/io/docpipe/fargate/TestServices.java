package io.docpipe.fargate;

import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.observe.Tracing;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;

/** Starts the real service on 127.0.0.1:0 over an index in a temporary directory. */
final class TestServices {

  static final String WRITER = "writer-token-0123456789";
  static final String READER = "reader-token-0123456789";

  private TestServices() {}

  static Map<String, String> env(Path indexDir, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>();
    env.put("DOCPIPE_INDEX_DIR", indexDir.toString());
    env.put("DOCPIPE_ONNX_THREADS", "1");
    env.put("DOCPIPE_HTTP_HOST", "127.0.0.1");
    env.put("DOCPIPE_HTTP_PORT", "0");
    env.put("DOCPIPE_API_TOKENS", WRITER + "," + READER + ":read");
    env.put("DOCPIPE_HTTP_DRAIN_BUDGET", "5s");
    // s3:// URIs in requests are served from a local directory: tests never reach AWS.
    Path s3Mirror = s3Mirror(indexDir);
    try {
      java.nio.file.Files.createDirectories(s3Mirror);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    env.put("DOCPIPE_S3_MIRROR_DIR", s3Mirror.toString());
    env.putAll(overrides);
    return env;
  }

  /** Where {@code s3://bucket/key} is read from for a service over {@code indexDir}. */
  static Path s3Mirror(Path indexDir) {
    return indexDir.resolveSibling(indexDir.getFileName() + "-s3");
  }

  static FargateService start(Path indexDir, Map<String, String> overrides, Executor warmUp) {
    return start(indexDir, overrides, warmUp, Tracing.off("docpipe-fargate-test"));
  }

  static FargateService start(
      Path indexDir, Map<String, String> overrides, Executor warmUp, Tracing tracing) {
    Map<String, String> env = env(indexDir, overrides);
    FargateSettings settings = FargateSettings.fromEnvironment(env);
    Map<String, String> pipeline = new HashMap<>(env);
    pipeline.keySet().removeAll(FargateSettings.VARIABLES);
    return FargateService.start(
        FargateComponent.create(DocpipeConfig.fromEnvironment(pipeline), settings, tracing),
        warmUp);
  }

  /**
   * A {@code POST /v1/documents} body of {@code count} inline documents: ids {@code idPrefix0…},
   * texts {@code textPrefix0…}.
   */
  static String documentsBody(int count, String idPrefix, String textPrefix) {
    return java.util.stream.IntStream.range(0, count)
        .mapToObj(i -> "{\"id\":\"" + idPrefix + i + "\",\"text\":\"" + textPrefix + i + "\"}")
        .collect(java.util.stream.Collectors.joining(",", "{\"documents\":[", "]}"));
  }

  /** A small HTTP client for one service. */
  static final class Client {
    final HttpClient http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    final String base;
    private final int port;

    Client(int port) {
      this.port = port;
      this.base = "http://127.0.0.1:" + port;
    }

    int port() {
      return port;
    }

    /** The status of a GET without a token, or 0 when the service does not answer at all. */
    int statusOrZero(String path) {
      try {
        return get(path, null).statusCode();
      } catch (java.io.UncheckedIOException e) {
        return 0;
      }
    }

    HttpRequest.Builder request(String path) {
      return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    }

    HttpResponse<String> send(HttpRequest request) {
      try {
        return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** A request for {@code path}, carrying {@code token} as its bearer token unless it is null. */
    HttpRequest.Builder request(String path, String token) {
      HttpRequest.Builder b = request(path);
      if (token != null) {
        b.header("Authorization", "Bearer " + token);
      }
      return b;
    }

    HttpResponse<String> get(String path, String token) {
      return send(request(path, token).GET().build());
    }

    HttpResponse<String> post(String path, String token, String json) {
      return post(path, token, json.getBytes(StandardCharsets.UTF_8));
    }

    HttpResponse<String> post(String path, String token, byte[] body) {
      return send(
          request(path, token)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build());
    }

    HttpResponse<String> delete(String path, String token) {
      return send(request(path, token).DELETE().build());
    }
  }
}
