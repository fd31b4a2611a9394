package io.docpipe.fargate;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.docpipe.wiring.observe.JsonLogFormatter;
import io.docpipe.wiring.observe.JsonLogFormatter.Platform;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

/** The task metadata endpoint, played by a local HTTP server with the shape ECS documents. */
class EcsMetadataTest {

  private static final String TASK =
      """
      {"Cluster":"arn:aws:ecs:eu-west-1:111122223333:cluster/docpipe",
       "TaskARN":"arn:aws:ecs:eu-west-1:111122223333:task/docpipe/0123456789abcdef",
       "Family":"docpipe","Revision":"7","DesiredStatus":"RUNNING","KnownStatus":"RUNNING",
       "AvailabilityZone":"eu-west-1a","LaunchType":"FARGATE","Containers":[]}""";

  @Test
  void taskFieldsGoIntoEveryLogLine() throws Exception {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v4/abc/task",
        exchange -> {
          byte[] body = TASK.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    try {
      String uri = "http://127.0.0.1:" + server.getAddress().getPort() + "/v4/abc";
      EcsMetadata ecs =
          EcsMetadata.fromEnvironment(Map.of(EcsMetadata.VARIABLE, uri), Duration.ofSeconds(5));
      assertThat(ecs.problem()).isEmpty();
      assertThat(ecs.fields())
          .containsEntry(
              "ecs.task_arn", "arn:aws:ecs:eu-west-1:111122223333:task/docpipe/0123456789abcdef")
          .containsEntry("ecs.family", "docpipe")
          .containsEntry("ecs.revision", "7")
          .containsEntry("ecs.availability_zone", "eu-west-1a");

      RequestContext.set("req-42");
      LogRecord record = new LogRecord(Level.INFO, "searched {0}");
      record.setParameters(new Object[] {"\"quoted\""});
      record.setLoggerName("test");
      String line =
          new JsonLogFormatter(Platform.AWS, ecs.fields(), null, RequestContext::requestId)
              .format(record);
      RequestContext.clear();
      var json = ServiceProcess.parse(line);
      assertThat(json.get("message").asText()).isEqualTo("searched \"quoted\"");
      assertThat(json.get("requestId").asText()).isEqualTo("req-42");
      assertThat(json.get("ecs.family").asText()).isEqualTo("docpipe");
      assertThat(line).endsWith("\n").doesNotContain("\n{");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void absentOrBrokenEndpoint_costsAWarningNotTheStart() {
    assertThat(EcsMetadata.fromEnvironment(Map.of(), Duration.ofSeconds(1)).fields()).isEmpty();
    EcsMetadata unreachable =
        EcsMetadata.fromEnvironment(
            Map.of(EcsMetadata.VARIABLE, "http://127.0.0.1:1/v4/x"), Duration.ofSeconds(1));
    assertThat(unreachable.fields()).isEmpty();
    assertThat(unreachable.problem()).contains("task metadata unavailable");
  }
}
