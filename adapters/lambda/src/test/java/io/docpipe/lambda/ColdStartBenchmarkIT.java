package io.docpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
import io.docpipe.testkit.EmbeddingsStandIn;
import io.docpipe.testkit.Podman;
import io.docpipe.wiring.DocpipeConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cold start of the Lambda image, measured, not asserted: from {@code podman run} to the first
 * response of the HTTP handler's {@code POST /v1/search}, through the image's runtime interface
 * client and the local Runtime API, in a container limited to 1 CPU and 1,769 MB (what Lambda gives
 * one full vCPU). Handlers: a bare one with no DI (the floor), docpipe's with an embeddings API (a
 * local fake on 127.0.0.1), docpipe's with the in-process model. JVM flags: C1 only
 * (TieredStopAtLevel=1, as the image ships), full tiered compilation, and C1 plus an AOT cache (JDK
 * 25's successor of AppCDS) trained by one run. Prints a Markdown table; see docs/benchmarks.md.
 * Off unless {@code -Ddocpipe.bench=cold-start}.
 */
@EnabledIfSystemProperty(named = "docpipe.bench", matches = "cold-start")
class ColdStartBenchmarkIT {

  private static final String RIC = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
  private static final String SEARCH =
      "{\"rawPath\":\"/v1/search\",\"requestContext\":{\"http\":{\"method\":\"POST\"}},"
          + "\"body\":\"{\\\"query\\\":\\\"harbour tides\\\",\\\"k\\\":3}\"}";

  @TempDir Path dir;

  private record Variant(String name, String handler, Map<String, String> env, Path index) {}

  private record Flags(String name, List<String> jvm, boolean aotTraining) {}

  @Test
  void measure() throws Exception {
    Podman podman = Podman.require();
    int runs = Integer.getInteger("docpipe.bench.runs", 5);
    String image = podman.load(LambdaImageIT.target().resolve("image/docpipe-lambda.tar"));
    EmbeddingsStandIn fakeApi = EmbeddingsStandIn.start(384, "fake-384");
    Map<String, String> apiEnv = fakeApi.env();
    Path onnxIndex = index(dir.resolve("onnx"), Map.of());
    Path apiIndex = index(dir.resolve("api"), apiEnv);
    Path bench =
        Path.of(BareHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<Variant> variants =
        List.of(
            new Variant(
                "bare handler, no DI (floor)",
                "io.docpipe.lambda.BareHandler::handleRequest",
                Map.of(),
                apiIndex),
            new Variant(
                "search, embeddings API (fake on 127.0.0.1)",
                "io.docpipe.lambda.HttpHandler::handleRequest",
                apiEnv,
                apiIndex),
            new Variant(
                "search, in-process model",
                "io.docpipe.lambda.HttpHandler::handleRequest",
                Map.of(),
                onnxIndex));
    List<Flags> flagSets =
        List.of(
            new Flags(
                "C1 only (-XX:TieredStopAtLevel=1)", List.of("-XX:TieredStopAtLevel=1"), false),
            new Flags("tiered C1+C2 (JVM default)", List.of(), false),
            new Flags(
                "C1 only + AOT cache (-XX:AOTCache)", List.of("-XX:TieredStopAtLevel=1"), true));
    Path cache = dir.resolve("aot");
    Files.createDirectories(cache);
    openUp(dir);
    StringBuilder table =
        new StringBuilder(
            "| handler | JVM flags | runs | median ms | min ms | max ms |\n|---|---|---|---|---|---|\n");
    try {
      for (Variant variant : variants) {
        for (Flags flags : flagSets) {
          if (flags.aotTraining() && variant.handler().contains("BareHandler")) {
            continue; // its class is in a directory, which an AOT cache cannot hold
          }
          List<String> jvm = new ArrayList<>(flags.jvm());
          if (flags.aotTraining()) {
            String file = "/aot/" + Integer.toHexString(variant.name().hashCode()) + ".aot";
            List<String> training = new ArrayList<>(jvm);
            training.add("-XX:AOTCacheOutput=" + file);
            coldStart(podman, image, variant, training, bench, cache, true);
            assertThat(cache.resolve(file.substring(5)))
                .as("AOT cache written by the training run")
                .exists();
            jvm.add("-XX:AOTCache=" + file);
          }
          List<Long> millis = new ArrayList<>();
          for (int i = 0; i < runs; i++) {
            millis.add(coldStart(podman, image, variant, jvm, bench, cache, false));
          }
          List<Long> sorted = millis.stream().sorted().toList();
          table.append(
              "| %s | %s | %d | %d | %d | %d |%n"
                  .formatted(
                      variant.name(),
                      flags.name(),
                      runs,
                      sorted.get(sorted.size() / 2),
                      sorted.getFirst(),
                      sorted.getLast()));
          System.out.println(variant.name() + " / " + flags.name() + ": " + millis);
        }
      }
    } finally {
      fakeApi.close();
    }
    System.out.println(table);
    Files.writeString(LambdaImageIT.target().resolve("cold-start.md"), table);
  }

  /** One cold start: container start to the first search response, in milliseconds. */
  private long coldStart(
      Podman podman,
      String image,
      Variant variant,
      List<String> jvm,
      Path bench,
      Path cache,
      boolean training)
      throws Exception {
    String name = "docpipe-cold-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    LocalRuntimeApi api = LocalRuntimeApi.start();
    try {
      var result = api.submit(SEARCH.getBytes(StandardCharsets.UTF_8), Duration.ofMinutes(1));
      Map<String, String> env = new LinkedHashMap<>(RicProcess.lambdaVariables(api));
      env.put("DOCPIPE_INDEX_DIR", "/index");
      env.put("DOCPIPE_ONNX_THREADS", "1");
      env.putAll(variant.env());
      List<String> options =
          Podman.readOnly(
              name,
              env,
              LambdaImageIT.withLambdaLimits(
                  "-v",
                  variant.index() + ":/index",
                  "-v",
                  bench + ":/bench:ro",
                  "-v",
                  cache + ":/aot",
                  "--entrypoint",
                  "java"));
      List<String> args =
          new ArrayList<>(
              List.of(
                  "--enable-native-access=ALL-UNNAMED",
                  "-XX:MaxRAMPercentage=75",
                  "-XX:+UseSerialGC"));
      args.addAll(jvm);
      args.addAll(
          List.of(
              "-cp",
              variant.handler().startsWith("io.docpipe.lambda.BareHandler")
                  ? "/bench:/app/docpipe-lambda.jar"
                  : "/app/docpipe-lambda.jar",
              RIC,
              variant.handler()));
      Path log = dir.resolve(name + ".log");
      long start = System.nanoTime();
      Process container =
          new ProcessBuilder(podman.runCommand(image, options, args))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      try {
        InvocationResult answer = result.get(120, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(answer).as(Files.readString(log)).isInstanceOf(InvocationResult.Response.class);
        assertThat(answer.bodyText()).as(answer.bodyText()).contains("\"statusCode\":200");
        return millis;
      } finally {
        if (training) {
          // The AOT cache is written when the JVM exits normally: the runtime interface client
          // exits once its Runtime API is gone; a stop signal would skip the dump.
          api.close();
          container.waitFor(120, TimeUnit.SECONDS);
        }
        if (container.isAlive()) {
          podman.run(List.of("stop", "-t", "20", name));
        }
        if (!container.waitFor(60, TimeUnit.SECONDS)) {
          container.destroyForcibly();
        }
      }
    } finally {
      api.close();
    }
  }

  /** An index of a few documents, written with the variant's model, for the search to read. */
  private static Path index(Path dir, Map<String, String> env) throws IOException {
    Map<String, String> variables = new HashMap<>(env);
    variables.put("DOCPIPE_INDEX_DIR", dir.toString());
    LambdaComponent environment = LambdaComponent.create(DocpipeConfig.fromEnvironment(variables));
    try {
      StringBuilder documents = new StringBuilder("{\"documents\":[");
      for (int i = 0; i < 20; i++) {
        documents
            .append(i == 0 ? "" : ",")
            .append("{\"id\":\"doc-")
            .append(i)
            .append("\",\"text\":\"Note ")
            .append(i)
            .append(" on harbour tides, ships and weather.\"}");
      }
      documents.append("]}");
      var response =
          environment
              .http()
              .ingest(documents.toString().getBytes(StandardCharsets.UTF_8), () -> false);
      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    } finally {
      environment.close();
    }
    return dir;
  }

  private static void openUp(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.toList()) {
        Files.setPosixFilePermissions(
            p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxrwxrwx" : "rw-rw-rw-"));
      }
    }
  }
}
