package io.docpipe.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Polls an HTTP endpoint of a process that may not be listening yet (a service's {@code /metrics},
 * a Prometheus server's API): a condition of a bounded wait reads it until it holds.
 */
public final class HttpProbe {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpProbe() {}

  /**
   * The body of a 200 answer to {@code GET uri} within five seconds, or the empty string when
   * nothing listens there yet or it answers with another status.
   */
  public static String okBody(URI uri) {
    try {
      HttpResponse<String> r =
          HTTP.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : "";
    } catch (IOException e) {
      return ""; // not listening yet
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }
}
