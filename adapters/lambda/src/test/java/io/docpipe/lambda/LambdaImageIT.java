package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.s3Event;
import static io.docpipe.lambda.AwsEvents.s3Record;
import static io.docpipe.lambda.TestEnvironments.BUCKET;
import static io.docpipe.lambda.TestEnvironments.putObject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
import io.docpipe.testkit.Podman;
import io.docpipe.wiring.DocpipeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image the build made: reproducible (built twice from the same inputs, same digest: the second
 * with its own root filesystem and its own merged jar, the same AOT cache, which no second training
 * would give byte for byte, and the same prepared models, which PreparedModelTest shows
 * reproducible), and, where podman runs, the S3 scenario inside the container (read-only root, host
 * network, 1 CPU and Lambda's 1,769 MB) against the local Runtime API on 127.0.0.1.
 */
class LambdaImageIT {

  private static final Duration WAIT = Duration.ofSeconds(240);

  @TempDir Path dir;

  static Path target() {
    return Path.of(System.getProperty("docpipe.lambda.image.dir", "target"));
  }

  @Test
  void theImage_isReproducible_sameInputsGiveTheSameDigest() throws IOException {
    String first = Files.readString(target().resolve("image/digest")).strip();
    String second = Files.readString(target().resolve("image-again/digest")).strip();

    assertThat(first).startsWith("sha256:");
    assertThat(second).isEqualTo(first);
    assertThat(
            Files.mismatch(
                target().resolve("image/docpipe-lambda.tar"),
                target().resolve("image-again/docpipe-lambda.tar")))
        .isEqualTo(-1L);
  }

  @Test
  void theImage_holdsItsClassPathAsOneJar_andNoneOfJibsClassPathLayers() throws IOException {
    List<String> files = imageFiles(target().resolve("image/docpipe-lambda.tar"));

    assertThat(files)
        .contains("app/docpipe-lambda.jar", "app/aot/docpipe-lambda.aot", "opt/java/bin/java");
    assertThat(files)
        .as("Jib's own class-path layers are dropped (ADR 0037)")
        .noneMatch(
            f ->
                f.startsWith("app/libs/")
                    || f.startsWith("app/classpath/")
                    || f.startsWith("app/jib-"));
  }

  /** The path of every entry in the image's layers (Jib's tar: one gzipped tar per layer). */
  private static List<String> imageFiles(Path imageTar) throws IOException {
    List<String> files = new ArrayList<>();
    try (TarArchiveInputStream image = new TarArchiveInputStream(Files.newInputStream(imageTar))) {
      for (TarArchiveEntry layer = image.getNextEntry();
          layer != null;
          layer = image.getNextEntry()) {
        if (!layer.getName().endsWith(".tar.gz")) {
          continue;
        }
        // Not closed: that would close the image's stream; its next entry skips what is unread.
        TarArchiveInputStream entries = new TarArchiveInputStream(new GZIPInputStream(image));
        for (TarArchiveEntry e = entries.getNextEntry(); e != null; e = entries.getNextEntry()) {
          files.add(e.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""));
        }
      }
    }
    return files;
  }

  @Test
  void theImage_runsTheS3ScenarioThroughItsRuntimeInterfaceClient() throws Exception {
    Podman podman = Podman.require();
    String image = podman.load(target().resolve("image/docpipe-lambda.tar"));
    putObject(dir, "inside/boat log.md", "The sailing boat anchored in the bay before the storm.");
    Path index = dir.resolve("index");
    Files.createDirectories(index);
    // The image runs as 65532; the host directories it writes must let it.
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
      }
    }
    String name = "docpipe-lambda-it-" + ProcessHandle.current().pid();
    byte[] event = s3Event(s3Record("ObjectCreated:Put", BUCKET, "inside/boat+log.md", 56));
    try (LocalRuntimeApi api = LocalRuntimeApi.start()) {
      Map<String, String> env = new LinkedHashMap<>(RicProcess.lambdaVariables(api));
      env.put("DOCPIPE_INDEX_DIR", "/index");
      env.put("DOCPIPE_S3_MIRROR_DIR", "/mirror");
      env.put("DOCPIPE_ONNX_THREADS", "1");
      env.put("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true");
      // The image's AOT cache must be usable by the image's JVM (ADR 0030): with AOTMode=on a JVM
      // that cannot map it, or finds its class path or runtime changed, refuses to start.
      env.put("JAVA_TOOL_OPTIONS", "-XX:AOTMode=on -Xlog:class+load=info");
      List<String> options =
          Podman.readOnly(
              name,
              env,
              withLambdaLimits("-v", index + ":/index", "-v", dir.resolve("s3") + ":/mirror:ro"));
      Path log = dir.resolve("container.log");
      Process container =
          new ProcessBuilder(
                  podman.runCommand(
                      image, options, List.of("io.docpipe.lambda.S3Handler::handleRequest")))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        InvocationResult first = api.invoke(event, Duration.ofMinutes(5), WAIT);
        InvocationResult second = api.invoke(event, Duration.ofMinutes(5), WAIT);

        assertThat(first).as(Files.readString(log)).isInstanceOf(InvocationResult.Response.class);
        assertThat(Files.readString(log))
            .as("docpipe's classes come from the image's AOT cache")
            .contains("io.docpipe.lambda.LambdaEnvironment source: shared objects file")
            .contains("io.docpipe.lambda.DaggerLambdaComponent source: shared objects file");
        assertThat(Files.readString(log))
            .as("classes not in the cache come from the image's one jar (ADR 0037)")
            .contains("source: file:/app/docpipe-lambda.jar");
        assertThat(
                podman.run(
                    List.of("image", "inspect", "--format", "{{json .Config.Entrypoint}}", image)))
            .as("the entry point's class path is the one jar")
            .contains("\"-cp\",\"/app/docpipe-lambda.jar\"");
        assertThat(Files.readString(log))
            .as("the in-process model loads as the image build prepared it (ADR 0033)")
            .contains("from its graph prepared in /app/onnx");
        assertThat(Files.readString(log))
            .as("no advice to add the module the image leaves out on purpose, where Lucene gave it")
            .contains("org.apache.lucene.internal.vectorization.VectorizationProvider source:")
            .doesNotContain("incubator module is not readable");
        JsonNode one = AwsEvents.parse(first.body());
        JsonNode two = AwsEvents.parse(second.body());
        assertThat(one.path("indexed").asInt()).as(one.toString()).isEqualTo(1);
        assertThat(two.path("unchanged").asInt()).as(two.toString()).isEqualTo(1);
        assertThat(two.path("chunksEmbedded").asLong()).isZero();
      } finally {
        podman.run(List.of("stop", "-t", "20", name));
        if (!container.waitFor(60, TimeUnit.SECONDS)) {
          container.destroyForcibly();
        }
      }
    }
    LambdaComponent environment =
        LambdaComponent.create(DocpipeConfig.fromEnvironment(TestEnvironments.variables(dir)));
    try {
      assertThat(TestEnvironments.search(environment, "boat anchored before a storm", 1))
          .containsExactly("inside/boat log.md");
    } finally {
      environment.close();
    }
  }

  /**
   * {@code more} after the limits Lambda puts on a function of 1,769 MB: one vCPU, that memory, and
   * a 512 MB {@code /tmp}, the only writable path.
   */
  static String[] withLambdaLimits(String... more) {
    List<String> options =
        new ArrayList<>(
            List.of("--tmpfs", "/tmp:rw,size=512m,mode=1777", "--cpus", "1", "--memory", "1769m"));
    options.addAll(List.of(more));
    return options.toArray(String[]::new);
  }
}
