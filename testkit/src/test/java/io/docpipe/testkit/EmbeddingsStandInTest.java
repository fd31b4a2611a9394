package io.docpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class EmbeddingsStandInTest {

  @Test
  void answersOneDeterministicUnitVectorPerInputInOrder() throws Exception {
    try (EmbeddingsStandIn standIn = EmbeddingsStandIn.start(384, "stand-in-384")) {
      String base = standIn.baseUrl();
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/embeddings"))
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\"stand-in-384\",\"input\":[\"tides\",\"ships\"]}"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      JsonNode data = new ObjectMapper().readTree(response.body()).path("data");
      assertThat(data).hasSize(2);
      assertThat(data.get(1).path("index").asInt()).isEqualTo(1);
      JsonNode second = data.get(1).path("embedding");
      assertThat(second).hasSize(384);
      float[] expected = standIn.vector("ships");
      double norm = 0;
      for (int d = 0; d < expected.length; d++) {
        assertThat((float) second.get(d).asDouble()).isEqualTo(expected[d]);
        norm += expected[d] * expected[d];
      }
      assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(standIn.vector("tides")).isNotEqualTo(expected);
      assertThat(standIn.inputs()).isEqualTo(2);
      assertThat(standIn.countsPerText()).containsEntry("tides", 1).containsEntry("ships", 1);
    }
  }
}
