package io.docpipe.fargate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.docpipe.api.ProblemType;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The checked-in OpenAPI document and the routes the server registers are the same set. */
class OpenApiTest {

  private static JsonNode document() throws Exception {
    try (InputStream in = OpenApiTest.class.getResourceAsStream("/openapi.yaml")) {
      return new ObjectMapper(new YAMLFactory()).readTree(in);
    }
  }

  @Test
  void everyRegisteredRouteIsDocumented_andEveryDocumentedRouteIsRegistered() throws Exception {
    Set<String> documented = new TreeSet<>();
    JsonNode paths = document().get("paths");
    for (Iterator<String> p = paths.fieldNames(); p.hasNext(); ) {
      String path = p.next();
      for (Iterator<String> m = paths.get(path).fieldNames(); m.hasNext(); ) {
        documented.add(m.next().toUpperCase(Locale.ROOT) + " " + path);
      }
    }
    Set<String> registered =
        Arrays.stream(Endpoint.values())
            .map(e -> e.method + " " + e.template)
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void everyProblemTypeIsNamed() throws Exception {
    String description = document().get("info").get("description").asText();
    for (ProblemType type : ProblemType.values()) {
      String slug = type.uri().toString().substring(ProblemType.BASE.length());
      assertThat(description).as(slug).contains(slug);
    }
  }

  @Test
  void everyRouteAnswersOnTheServer() throws Exception {
    // Routes really registered: none of them falls through to the 404 "no route" problem.
    java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("openapi-routes");
    FargateService service = TestServices.start(dir, java.util.Map.of(), task -> {});
    try {
      TestServices.Client client = new TestServices.Client(service.port());
      for (Endpoint e : Endpoint.values()) {
        String path = e.template.replace("{id}", "some-id");
        var response =
            client.send(
                client
                    .request(path, TestServices.WRITER)
                    .method(e.method, java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build());
        assertThat(response.body()).as(e.toString()).doesNotContain("no route");
        assertThat(response.statusCode()).as(e.toString()).isNotIn(404, 405);
      }
    } finally {
      service.drain(java.time.Duration.ofSeconds(1));
    }
  }
}
