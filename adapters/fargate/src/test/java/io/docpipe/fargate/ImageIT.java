package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.testkit.Podman;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The built image under podman as Fargate runs it: read-only root filesystem, non-root user, host
 * network (the only network allowed here). Skipped with a message where podman cannot run.
 */
class ImageIT {

  @Test
  void image_answersHealthAndSearch_withAReadOnlyRoot_andStopsCleanlyOnSigterm() throws Exception {
    Podman podman = Podman.require();
    String image = podman.load(Path.of(System.getProperty("docpipe.image.tar")));
    assertThat(podman.user(image)).isEqualTo("65532:65532");

    int port = Podman.freePort();
    String name = "docpipe-fargate-it-" + UUID.randomUUID();
    List<String> options =
        Podman.readOnly(
            name,
            Map.of(
                "DOCPIPE_HTTP_HOST",
                "127.0.0.1",
                "DOCPIPE_HTTP_PORT",
                Integer.toString(port),
                "DOCPIPE_ONNX_THREADS",
                "1",
                "DOCPIPE_API_TOKENS",
                TestServices.WRITER + "," + TestServices.READER + ":read"));
    // Attached, so its exit code is the service's and its output (the JSON logs) is kept.
    try (Podman.Container container = podman.start(name, image, options, List.of())) {
      TestServices.Client client = new TestServices.Client(port);
      boolean ready =
          Poll.until(
              Duration.ofSeconds(120),
              () -> {
                try {
                  return client.get("/health/ready", null).statusCode() == 200;
                } catch (java.io.UncheckedIOException e) {
                  return false;
                }
              });
      assertThat(ready).as("ready; logs:\n%s", container.logs()).isTrue();
      HttpResponse<String> ingest =
          client.post(
              "/v1/documents",
              WRITER,
              "{\"documents\":[{\"id\":\"img.md\",\"text\":\"Containers run with a read-only root filesystem.\"}]}");
      assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
      HttpResponse<String> search =
          client.post("/v1/search", READER, "{\"query\":\"read-only filesystem\",\"k\":1}");
      assertThat(search.statusCode()).isEqualTo(200);
      assertThat(search.body()).contains("\"documentId\":\"img.md\"");
      // The task definition's container health check, as ECS runs it inside the container.
      container.runMain(
          "-Xmx32m", HealthProbe.class.getName(), "http://127.0.0.1:" + port + "/health/live");

      podman.run(List.of("stop", "--time", "30", name)); // SIGTERM, then the drain
      Process run = container.process();
      assertThat(run.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String logs = container.logs();
      assertThat(run.exitValue()).as(logs).isZero();
      assertThat(logs).contains("all work finished");
    }
  }
}
