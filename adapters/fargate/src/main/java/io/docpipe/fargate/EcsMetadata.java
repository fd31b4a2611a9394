package io.docpipe.fargate;

import com.fasterxml.jackson.databind.JsonNode;
import io.docpipe.api.StrictJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The task's identity from the ECS task metadata endpoint v4 ({@code ECS_CONTAINER_METADATA_URI_V4}
 * is set in every Fargate container), for the log context. Outside ECS there is none; a failing
 * endpoint costs one warning, never the start.
 */
record EcsMetadata(Map<String, String> fields, String problem) {

  static final String VARIABLE = "ECS_CONTAINER_METADATA_URI_V4";

  /** {@code GET ${uri}/task} field → log field. */
  private static final Map<String, String> TASK_FIELDS =
      Map.of(
          "Cluster", "ecs.cluster",
          "TaskARN", "ecs.task_arn",
          "Family", "ecs.family",
          "Revision", "ecs.revision",
          "AvailabilityZone", "ecs.availability_zone");

  static EcsMetadata none() {
    return new EcsMetadata(Map.of(), "");
  }

  /** Reads the metadata when the variable is set; waits at most {@code timeout}. */
  static EcsMetadata fromEnvironment(Map<String, String> env, Duration timeout) {
    String base = env.get(VARIABLE);
    if (base == null || base.isBlank()) {
      return none();
    }
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(base.strip() + "/task")).timeout(timeout).GET().build();
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() != 200) {
        return new EcsMetadata(
            Map.of(), "task metadata endpoint answered HTTP " + response.statusCode());
      }
      JsonNode task = StrictJson.readTree(response.body());
      Map<String, String> fields = new LinkedHashMap<>();
      TASK_FIELDS.forEach(
          (from, to) -> {
            JsonNode value = task.get(from);
            if (value != null && value.isValueNode()) {
              fields.put(to, value.asText());
            }
          });
      return new EcsMetadata(Map.copyOf(fields), "");
    } catch (IOException | IllegalArgumentException e) {
      return new EcsMetadata(Map.of(), "task metadata unavailable: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new EcsMetadata(Map.of(), "interrupted reading task metadata");
    }
  }
}
