package io.docpipe.fargate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.testkit.LogCapture;
import io.docpipe.wiring.DocpipeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/ecs/task-definition.json} matches what the service and its image really do: port,
 * user, read-only root with /tmp writable, health path, stop timeout above the drain budget, and
 * only variables the service reads (checked by the service's own configuration parsers).
 */
class TaskDefinitionTest {

  private static final Path ROOT = Path.of(System.getProperty("docpipe.deploy.dir")).getParent();

  private static JsonNode taskDefinition() throws Exception {
    return new ObjectMapper().readTree(ROOT.resolve("deploy/ecs/task-definition.json").toFile());
  }

  private static JsonNode container() throws Exception {
    return container("docpipe");
  }

  private static JsonNode container(String name) throws Exception {
    JsonNode containers = taskDefinition().get("containerDefinitions");
    assertThat(containers).hasSize(2);
    for (JsonNode c : containers) {
      if (c.get("name").asText().equals(name)) {
        return c;
      }
    }
    throw new AssertionError("no container " + name);
  }

  /** ADR 0024: extraction in the doc-builder sidecar, which docpipe waits for. */
  @Test
  void docBuilderSidecar_isEssential_healthChecked_reserved_andDocpipeWaitsForIt()
      throws Exception {
    JsonNode sidecar = container("doc-builder");
    assertThat(sidecar.get("essential").asBoolean()).isTrue();
    assertThat(sidecar.get("readonlyRootFilesystem").asBoolean()).isTrue();
    assertThat(sidecar.get("user").asText()).isEqualTo("65532:65532");
    assertThat(sidecar.get("memoryReservation").asInt()).isBetween(512, 2048);
    assertThat(sidecar.get("image").asText()).contains("@sha256:");
    assertThat(sidecar.get("healthCheck").get("command").toString()).contains("9998/tika");
    assertThat(sidecar.get("mountPoints").get(0).get("containerPath").asText()).isEqualTo("/tmp");
    JsonNode docpipe = container();
    assertThat(docpipe.get("dependsOn").get(0).get("containerName").asText())
        .isEqualTo("doc-builder");
    assertThat(docpipe.get("dependsOn").get(0).get("condition").asText()).isEqualTo("HEALTHY");
    assertThat(docpipe.get("environment").toString())
        .contains("{\"name\":\"DOCPIPE_EXTRACTION\",\"value\":\"tika\"}")
        .contains("{\"name\":\"DOCPIPE_TIKA_URL\",\"value\":\"http://127.0.0.1:9998\"}");
  }

  /** The value of {@code <tag>} in a pom (the image settings live in the poms). */
  private static String pomValue(String pom, String tag) throws Exception {
    Matcher m =
        Pattern.compile("<" + tag + ">([^<]+)</" + tag + ">")
            .matcher(Files.readString(ROOT.resolve(pom)));
    assertThat(m.find()).as(tag + " in " + pom).isTrue();
    return m.group(1).strip();
  }

  private static Map<String, String> environment(JsonNode container) {
    Map<String, String> env = new HashMap<>();
    container
        .get("environment")
        .forEach(e -> env.put(e.get("name").asText(), e.get("value").asText()));
    return env;
  }

  @Test
  void isAFargateTask_inAwsvpc_withAwslogs() throws Exception {
    JsonNode task = taskDefinition();
    assertThat(task.get("requiresCompatibilities").toString()).contains("FARGATE");
    assertThat(task.get("networkMode").asText()).isEqualTo("awsvpc");
    assertThat(container().get("logConfiguration").get("logDriver").asText()).isEqualTo("awslogs");
  }

  @Test
  void portUserAndFilesystem_matchTheImage() throws Exception {
    JsonNode c = container();
    int containerPort = c.get("portMappings").get(0).get("containerPort").asInt();
    assertThat(containerPort)
        .isEqualTo(Integer.parseInt(pomValue("adapters/fargate/pom.xml", "port")));
    assertThat(containerPort).isEqualTo(Integer.parseInt(environment(c).get("DOCPIPE_HTTP_PORT")));
    assertThat(c.get("user").asText())
        .isEqualTo(pomValue("pom.xml", "user"))
        .isEqualTo("65532:65532");
    assertThat(c.get("readonlyRootFilesystem").asBoolean()).isTrue();
    assertThat(c.get("mountPoints").get(0).get("containerPath").asText()).isEqualTo("/tmp");
    assertThat(environment(c).get("DOCPIPE_INDEX_DIR")).startsWith("/tmp/");
  }

  @Test
  void healthCheck_probesTheLivenessRoute_withTheProbeInTheImage() throws Exception {
    List<String> command = new ArrayList<>();
    container().get("healthCheck").get("command").forEach(n -> command.add(n.asText()));
    assertThat(command).contains(HealthProbe.class.getName());
    String url = command.getLast();
    assertThat(url).endsWith(Endpoint.LIVENESS.template).contains(":8080/");
  }

  @Test
  void imageIsPinnedByDigest_andEveryCapabilityIsDropped() throws Exception {
    JsonNode c = container();
    assertThat(c.get("image").asText()).matches(".+/docpipe-fargate@sha256:[0-9a-f]{64}");
    assertThat(c.get("linuxParameters").get("capabilities").get("drop").toString())
        .isEqualTo("[\"ALL\"]");
  }

  @Test
  void stopTimeout_leavesRoomForTheDrain() throws Exception {
    JsonNode c = container();
    Map<String, String> env = environment(c);
    env.remove("DOCPIPE_SECRETS_FROM");
    env.put("DOCPIPE_API_TOKENS", "placeholder-token-0123456789"); // the SSM secret
    Duration drain = FargateSettings.fromEnvironment(env).drainBudget();
    Duration stop = Duration.ofSeconds(c.get("stopTimeout").asInt());
    assertThat(drain.plusSeconds(3)).isLessThanOrEqualTo(stop);
  }

  @Test
  void everyVariableIsOneTheServiceReads_andTheTokensAreReadFromSsmByTheService() throws Exception {
    JsonNode c = container();
    assertThat(c.has("secrets"))
        .as("no ECS secrets: the service reads them itself, and again after a rotation")
        .isFalse();
    Map<String, String> env = environment(c);
    assertThat(env.remove("DOCPIPE_SECRETS_FROM"))
        .matches("DOCPIPE_API_TOKENS=arn:aws:ssm:[^,]+:parameter/docpipe/api-tokens");
    env.put("DOCPIPE_API_TOKENS", "placeholder-token-0123456789");
    FargateSettings.fromEnvironment(env); // throws on any invalid value
    Map<String, String> pipeline = new HashMap<>(env);
    pipeline.keySet().removeAll(FargateSettings.VARIABLES);
    try (LogCapture log = LogCapture.of(DocpipeConfig.class)) {
      DocpipeConfig.fromEnvironment(pipeline);
      assertThat(log.messages()).as("variables no one reads").isEmpty();
    }
  }
}
