package io.docpipe.harness;

import static io.docpipe.testkit.Commands.onPath;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
import io.docpipe.testkit.Podman;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code build/release-images.sh} end to end: pushes the three images to a real OCI registry (the
 * CNCF distribution registry, Debian's {@code docker-registry}) on 127.0.0.1, and what it prints is
 * what runs: podman pulls each by digest, the Fargate image answers its health path and the Lambda
 * image answers the Runtime API. Skipped with one line where the registry, skopeo, podman or the
 * image archives are missing ({@code build/install-debian.sh}, {@code ./mvnw package}).
 */
class ReleaseImagesIT {

  private static final Path ROOT =
      Path.of(System.getProperty("docpipe.samples.dir")).toAbsolutePath().getParent();
  private static final List<String> IMAGES = List.of("lambda", "fargate", "gke", "doc-builder");

  @Test
  void releasedDigests_pullAndRun(@TempDir Path work) throws Exception {
    assumeTrue(
        onPath("docker-registry") && onPath("skopeo"),
        "release test skipped: needs docker-registry and skopeo (Debian packages; .ci/run installs them with build/install-debian.sh)");
    for (String image : IMAGES) {
      String module = image.equals("doc-builder") ? "tika" : image; // adapters/tika builds it
      Path tar = ROOT.resolve("adapters/" + module + "/target/image/docpipe-" + image + ".tar");
      assumeTrue(Files.isRegularFile(tar), "release test skipped: no " + tar + " (./mvnw package)");
    }
    Podman podman = Podman.require();

    int registryPort = freePort();
    Path config = work.resolve("registry.yml");
    Files.writeString(
        config,
        """
        version: 0.1
        storage:
          filesystem:
            rootdirectory: %s
        http:
          addr: 127.0.0.1:%d
        """
            .formatted(work.resolve("registry-data"), registryPort));
    Process registry =
        new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("registry.log").toFile())
            .start();
    List<String> pulled = new ArrayList<>();
    try {
      assertThat(until(Duration.ofSeconds(30), () -> status(registryPort, "/v2/") == 200))
          .as("registry up; log:\n%s", log(work.resolve("registry.log")))
          .isTrue();

      ProcessBuilder release =
          new ProcessBuilder(
                  ROOT.resolve("build/release-images.sh").toString(),
                  "127.0.0.1:" + registryPort,
                  "it")
              .directory(ROOT.toFile())
              .redirectErrorStream(true);
      release.environment().put("RELEASE_DIR", work.resolve("release").toString());
      Process p = release.start();
      String printed = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
      assertThat(p.exitValue()).as(printed).isZero();

      Map<String, String> refs = new HashMap<>();
      for (String line : Files.readAllLines(work.resolve("release/digests"))) {
        refs.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
      }
      assertThat(refs.keySet()).containsExactlyInAnyOrderElementsOf(IMAGES);
      for (String image : IMAGES) {
        String ref = refs.get(image);
        assertThat(ref)
            .matches(
                "127\\.0\\.0\\.1:" + registryPort + "/docpipe-" + image + "@sha256:[0-9a-f]{64}");
        podman.run(List.of("pull", "--quiet", "--tls-verify=false", ref));
        pulled.add(ref);
      }
      // What the deploy files take, as printed.
      assertThat(printed)
          .contains("image_uri = \"" + refs.get("lambda") + "\"")
          .contains("image = \"" + refs.get("fargate") + "\"")
          .contains("digest: " + refs.get("gke").substring(refs.get("gke").indexOf('@') + 1))
          .contains("doc_builder_image = \"" + refs.get("doc-builder") + "\"")
          .contains(
              "digest: "
                  + refs.get("doc-builder").substring(refs.get("doc-builder").indexOf('@') + 1));

      fargateAnswersHealth(podman, refs.get("fargate"), work);
      lambdaAnswersTheRuntimeApi(podman, refs.get("lambda"), work);
    } finally {
      for (String ref : pulled) {
        new ProcessBuilder("podman", "rmi", "--force", "--ignore", ref)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(60, TimeUnit.SECONDS);
      }
      registry.destroy();
      if (!registry.waitFor(30, TimeUnit.SECONDS)) {
        registry.destroyForcibly();
      }
    }
  }

  private static void fargateAnswersHealth(Podman podman, String ref, Path work) throws Exception {
    int port = freePort();
    String name = "docpipe-release-fargate-" + ProcessHandle.current().pid();
    Path logFile = work.resolve("fargate.log");
    Process run =
        new ProcessBuilder(
                podman.runCommand(
                    ref,
                    Podman.readOnly(
                        name,
                        Map.of(
                            "DOCPIPE_HTTP_HOST", "127.0.0.1",
                            "DOCPIPE_HTTP_PORT", Integer.toString(port),
                            "DOCPIPE_ONNX_THREADS", "1",
                            "DOCPIPE_API_TOKENS", "release-test-token-0123456789")),
                    List.of()))
            .redirectErrorStream(true)
            .redirectOutput(logFile.toFile())
            .start();
    try {
      assertThat(until(Duration.ofSeconds(120), () -> status(port, "/health/live") == 200))
          .as("fargate image by digest answers /health/live; logs:\n%s", log(logFile))
          .isTrue();
    } finally {
      stop(podman, name, run);
    }
  }

  private static void lambdaAnswersTheRuntimeApi(Podman podman, String ref, Path work)
      throws Exception {
    String name = "docpipe-release-lambda-" + ProcessHandle.current().pid();
    Path logFile = work.resolve("lambda.log");
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      Map<String, String> env =
          Map.of(
              "AWS_LAMBDA_RUNTIME_API", api.address(),
              "AWS_LAMBDA_FUNCTION_NAME", "docpipe-release",
              "AWS_LAMBDA_FUNCTION_VERSION", "1",
              "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769",
              "AWS_REGION", "us-east-1",
              "DOCPIPE_ONNX_THREADS", "1",
              "DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true");
      List<String> options = Podman.readOnly(name, env, "--tmpfs", "/tmp:rw,size=512m,mode=1777");
      Process run =
          new ProcessBuilder(podman.runCommand(ref, options, List.of()))
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile())
              .start();
      try {
        InvocationResult result =
            api.invoke(
                "{\"Records\":[]}".getBytes(StandardCharsets.UTF_8),
                Duration.ofMinutes(2),
                Duration.ofMinutes(3));
        assertThat(result).as(log(logFile)).isInstanceOf(InvocationResult.Response.class);
        assertThat(new String(result.body(), StandardCharsets.UTF_8))
            .as("the default handler (SQS) answers an empty batch")
            .contains("batchItemFailures");
      } finally {
        stop(podman, name, run);
      }
    }
  }

  private static void stop(Podman podman, String name, Process run) throws InterruptedException {
    try {
      podman.run(List.of("stop", "--time", "20", name));
    } catch (IllegalStateException e) {
      // already gone: its log says why, and the assertion above reported it
    }
    if (!run.waitFor(60, TimeUnit.SECONDS)) {
      run.destroyForcibly();
    }
  }

  private static int status(int port, String path) {
    try {
      HttpURLConnection c =
          (HttpURLConnection)
              URI.create("http://127.0.0.1:" + port + path).toURL().openConnection();
      c.setConnectTimeout(1000);
      c.setReadTimeout(2000);
      try {
        return c.getResponseCode();
      } finally {
        c.disconnect();
      }
    } catch (IOException e) {
      return -1;
    }
  }

  /** Polls a condition every 250 ms until it holds or the budget ends. */
  private static boolean until(Duration budget, BooleanSupplier condition)
      throws InterruptedException {
    Instant end = Instant.now().plus(budget);
    while (Instant.now().isBefore(end)) {
      if (condition.getAsBoolean()) {
        return true;
      }
      Thread.sleep(250);
    }
    return condition.getAsBoolean();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String log(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "(no log)";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
