package io.docpipe.fargate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The ECS container health check: the image has no shell or curl, so the task definition runs
 * {@code java -cp @/app/jib-classpath-file io.docpipe.fargate.HealthProbe <url>}; exit 0 when the
 * URL answers 200 within 5 s, 1 otherwise.
 */
public final class HealthProbe {

  private HealthProbe() {}

  public static void main(String[] args) {
    String url = args.length > 0 ? args[0] : "http://127.0.0.1:8080/health/live";
    System.exit(healthy(URI.create(url), Duration.ofSeconds(5)) ? 0 : 1);
  }

  static boolean healthy(URI uri, Duration timeout) {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpResponse<Void> response =
          client.send(
              HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
              HttpResponse.BodyHandlers.discarding());
      return response.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
