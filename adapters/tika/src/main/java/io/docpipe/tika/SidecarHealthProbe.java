package io.docpipe.tika;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The doc-builder image's health check (ECS {@code healthCheck}, the pod's exec probes): the image
 * has no shell or curl, so the check runs {@code java -cp @/app/jib-classpath-file
 * io.docpipe.tika.SidecarHealthProbe [url]}; exit 0 when Tika's {@code GET /tika} answers 200
 * within 5 s, 1 otherwise.
 */
public final class SidecarHealthProbe {

  private SidecarHealthProbe() {}

  public static void main(String[] args) {
    URI url = args.length > 0 ? URI.create(args[0]) : TikaSettings.DEFAULT_URL.resolve("/tika");
    System.exit(healthy(url, Duration.ofSeconds(5)) ? 0 : 1);
  }

  static boolean healthy(URI url, Duration timeout) {
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      return answers(client, url, timeout);
    }
  }

  /** Whether a GET of {@code url} answers 200 within {@code timeout}; false for any failure. */
  static boolean answers(HttpClient client, URI url, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).GET().build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
