package io.docpipe.harness.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The Runtime API as a custom runtime sees it, driven by a plain HTTP client over loopback. */
class LocalRuntimeApiTest {

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anEvent_isHandedOutWithItsHeaders_andTheResponseCompletesTheInvocation() throws Exception {
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      long before = System.currentTimeMillis();
      CompletableFuture<InvocationResult> result =
          api.submit("{\"n\":1}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30));

      HttpResponse<String> next = get(api, "/2018-06-01/runtime/invocation/next");

      assertThat(next.statusCode()).isEqualTo(200);
      assertThat(next.body()).isEqualTo("{\"n\":1}");
      String requestId = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
      long deadline =
          Long.parseLong(next.headers().firstValue("Lambda-Runtime-Deadline-Ms").orElseThrow());
      assertThat(deadline).isBetween(before + 30_000, System.currentTimeMillis() + 30_000);
      assertThat(next.headers().firstValue("Lambda-Runtime-Invoked-Function-Arn"))
          .contains(LocalRuntimeApi.FUNCTION_ARN);
      assertThat(next.headers().firstValue("Lambda-Runtime-Trace-Id").orElseThrow())
          .startsWith("Root=1-");
      assertThat(result).isNotDone();

      HttpResponse<String> posted =
          post(api, "/2018-06-01/runtime/invocation/" + requestId + "/response", "{\"ok\":true}");

      assertThat(posted.statusCode()).isEqualTo(202);
      InvocationResult answer = result.get(5, TimeUnit.SECONDS);
      assertThat(answer).isInstanceOf(InvocationResult.Response.class);
      assertThat(answer.requestId()).isEqualTo(requestId);
      assertThat(answer.bodyText()).isEqualTo("{\"ok\":true}");
      assertThat(api.delivered()).isEqualTo(1);
      // A second answer for the same id is refused, as Lambda refuses it.
      assertThat(
              post(api, "/2018-06-01/runtime/invocation/" + requestId + "/response", "{}")
                  .statusCode())
          .isEqualTo(400);
    }
  }

  @Test
  void anErrorReport_completesTheInvocationAsAnError() throws Exception {
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      CompletableFuture<InvocationResult> result =
          api.submit("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
      String id =
          get(api, "/2018-06-01/runtime/invocation/next")
              .headers()
              .firstValue("Lambda-Runtime-Aws-Request-Id")
              .orElseThrow();
      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://"
                              + api.address()
                              + "/2018-06-01/runtime/invocation/"
                              + id
                              + "/error"))
                  .header("Lambda-Runtime-Function-Error-Type", "Runtime.Boom")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"errorMessage\":\"boom\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(posted.statusCode()).isEqualTo(202);
      InvocationResult answer = result.get(5, TimeUnit.SECONDS);
      assertThat(answer)
          .isInstanceOfSatisfying(
              InvocationResult.Error.class,
              e -> assertThat(e.errorType()).isEqualTo("Runtime.Boom"));
      assertThat(answer.bodyText()).contains("boom");
    }
  }

  @Test
  void theEmulatorEntryPoint_waitsForTheFunctionsAnswer() throws Exception {
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      CompletableFuture<HttpResponse<String>> invoke =
          http.sendAsync(
              HttpRequest.newBuilder(api.invokeUri())
                  .POST(HttpRequest.BodyPublishers.ofString("{\"q\":1}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> next = get(api, "/2018-06-01/runtime/invocation/next");
      assertThat(next.body()).isEqualTo("{\"q\":1}");
      String id = next.headers().firstValue("Lambda-Runtime-Aws-Request-Id").orElseThrow();
      post(api, "/2018-06-01/runtime/invocation/" + id + "/error", "{\"errorMessage\":\"no\"}");

      HttpResponse<String> answer = invoke.get(10, TimeUnit.SECONDS);

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("X-Amz-Function-Error")).contains("Unhandled");
      assertThat(answer.body()).contains("no");
    }
  }

  @Test
  void anInitError_isKept_andNamedWhenAnInvocationTimesOut() throws Exception {
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      assertThat(
              post(api, "/2018-06-01/runtime/init/error", "{\"errorMessage\":\"bad config\"}")
                  .statusCode())
          .isEqualTo(202);
      assertThat(api.initError()).hasValueSatisfying(e -> assertThat(e).contains("bad config"));
      assertThatThrownBy(
              () ->
                  api.invoke(new byte[] {'{', '}'}, Duration.ofSeconds(1), Duration.ofMillis(200)))
          .isInstanceOf(TimeoutException.class)
          .hasMessageContaining("bad config");
    }
  }

  @Test
  void aCallerThatClosesTheApiOnTheAnswer_stillSendsTheRuntimeItsAccepted() throws Exception {
    LocalRuntimeApi api = LocalRuntimeApi.start();
    try (api) {
      CompletableFuture<InvocationResult> result =
          api.submit("{}".getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(5));
      // As an AOT cache's training run does: close as soon as the answer is known, here at once.
      CompletableFuture<InvocationResult> closed = result.whenComplete((answer, e) -> api.close());
      String id =
          get(api, "/2018-06-01/runtime/invocation/next")
              .headers()
              .firstValue("Lambda-Runtime-Aws-Request-Id")
              .orElseThrow();

      HttpResponse<String> posted =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://"
                              + api.address()
                              + "/2018-06-01/runtime/invocation/"
                              + id
                              + "/response"))
                  .timeout(Duration.ofSeconds(10))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"ok\":true}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());

      assertThat(posted.statusCode()).isEqualTo(202);
      assertThat(closed.get(5, TimeUnit.SECONDS).bodyText()).isEqualTo("{\"ok\":true}");
    }
  }

  private HttpResponse<String> get(LocalRuntimeApi api, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + api.address() + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(LocalRuntimeApi api, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + api.address() + path))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
