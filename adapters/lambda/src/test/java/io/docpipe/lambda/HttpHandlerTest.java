package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.httpEvent;
import static io.docpipe.lambda.AwsEvents.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.core.model.StopSignal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The HTTP API v2 handler: the shared /v1 API through API Gateway's event and response shapes. */
class HttpHandlerTest {

  @RegisterExtension static final TestEnvironments.PerClass ENV = new TestEnvironments.PerClass();

  private final HttpHandler handler = new HttpHandler(ENV.component());

  @Test
  void ingestSearchAndDelete_throughTheSharedApi() {
    String documents =
        json(
            Map.of(
                "documents",
                List.of(
                    Map.of(
                        "id",
                        "http/a b.md",
                        "text",
                        "Penguins huddle together against the Antarctic cold."),
                    Map.of(
                        "id",
                        "http/c.md",
                        "text",
                        "Espresso is brewed by forcing hot water through coffee."))));

    JsonNode ingested = call(httpEvent("POST", "/v1/documents", documents));

    assertThat(ingested.path("statusCode").asInt()).isEqualTo(200);
    assertThat(ingested.path("headers").path("Content-Type").asText())
        .isEqualTo("application/json");
    assertThat(body(ingested).path("indexed").asInt()).isEqualTo(2);

    JsonNode found =
        call(httpEvent("POST", "/v1/search", "{\"query\":\"birds in the cold south\",\"k\":1}"));

    assertThat(found.path("statusCode").asInt()).isEqualTo(200);
    assertThat(body(found).path("hits").get(0).path("documentId").asText())
        .isEqualTo("http/a b.md");

    JsonNode deleted = call(httpEvent("DELETE", "/v1/documents/http%2Fa%20b.md", null));

    assertThat(deleted.path("statusCode").asInt()).isEqualTo(200);
    assertThat(body(deleted).path("existed").asBoolean()).isTrue();
  }

  @Test
  void aNamedStage_isStrippedFromThePath_andBase64BodiesAreDecoded() {
    ObjectNode event =
        httpEvent(
            "POST",
            "/prod/v1/search",
            Base64.getEncoder()
                .encodeToString("{\"query\":\"coffee\",\"k\":1}".getBytes(StandardCharsets.UTF_8)));
    event.put("isBase64Encoded", true);
    ((ObjectNode) event.path("requestContext")).put("stage", "prod");

    assertThat(call(event).path("statusCode").asInt()).isEqualTo(200);
  }

  @Test
  void malformedJson_isA400Problem() {
    JsonNode response = call(httpEvent("POST", "/v1/search", "{\"query\":"));

    assertThat(response.path("statusCode").asInt()).isEqualTo(400);
    assertThat(response.path("headers").path("Content-Type").asText())
        .isEqualTo("application/problem+json");
    assertThat(body(response).path("type").asText()).endsWith("/malformed-json");
  }

  @Test
  void anOversizedBody_isA413Problem() {
    String huge = "{\"query\":\"" + "x".repeat(7 * 1024 * 1024) + "\"}";

    JsonNode response = call(httpEvent("POST", "/v1/search", huge));

    assertThat(response.path("statusCode").asInt()).isEqualTo(413);
  }

  @Test
  void theUnmodifiedAwsSample_isAnswered404_andAnEventWithoutRouteIs400() {
    JsonNode sample = call(httpEvent("POST", "/my/path", "Hello from Lambda!!"));
    assertThat(sample.path("statusCode").asInt()).isEqualTo(404);

    JsonNode notAnEvent =
        AwsEvents.parse(handler.handle("{}".getBytes(StandardCharsets.UTF_8), StopSignal.NEVER));
    assertThat(notAnEvent.path("statusCode").asInt()).isEqualTo(400);
  }

  private JsonNode call(ObjectNode event) {
    return AwsEvents.parse(handler.handle(AwsEvents.bytes(event), StopSignal.NEVER));
  }

  private static JsonNode body(JsonNode response) {
    return AwsEvents.parse(response.path("body").asText().getBytes(StandardCharsets.UTF_8));
  }
}
