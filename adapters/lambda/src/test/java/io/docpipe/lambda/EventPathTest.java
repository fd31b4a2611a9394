package io.docpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.api.StrictJson;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EventPathTest {

  @Test
  void warmUp_runsASearchEventThroughTheHandler_andAnswers200WithNoHits() {
    var answer = StrictJson.readTree(EventPath.warmUp());

    assertThat(answer.path("statusCode").asInt()).isEqualTo(200);
    var body = StrictJson.readTree(answer.path("body").asText().getBytes(StandardCharsets.UTF_8));
    assertThat(body.path("hits").isArray()).as(body.toString()).isTrue();
    assertThat(body.path("hits")).isEmpty();
  }
}
