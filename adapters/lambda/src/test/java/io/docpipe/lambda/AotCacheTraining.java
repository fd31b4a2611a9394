package io.docpipe.lambda;

import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
import io.docpipe.testkit.EmbeddingsStandIn;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The image build's training run for its ahead-of-time cache (JDK 25, JEP 483/514/515; ADR 0030),
 * run by Maven at {@code package} before Jib: the image's own Java runtime ({@code
 * target/image-root/opt/java}), the image's JVM flags and the image's class path — the module and
 * its runtime dependencies merged into one jar at {@code app/} (ADR 0037) — run the runtime
 * interface client with the HTTP handler against the local Runtime API, with an embeddings API
 * stand-in and an index in the staging directory: ten documents ingested, two searches, a malformed
 * event. Then the Runtime API goes away, the client exits normally and the JVM writes the cache.
 *
 * <p>Arguments: the {@code java} launcher, the image's jar, the staging directory, the cache to
 * write, then the JVM flags of the image.
 */
final class AotCacheTraining {

  private static final Duration ANSWER = Duration.ofMinutes(3);

  private AotCacheTraining() {}

  // The Runtime API is closed early on purpose: that is what ends the training run.
  @SuppressWarnings("try")
  public static void main(String[] args) throws Exception {
    Path java = Path.of(args[0]);
    Path appJar = Path.of(args[1]);
    Path stage = Path.of(args[2]);
    Path cache = Path.of(args[3]);
    List<String> flags = List.of(args).subList(4, args.length);
    String classpath = stage(appJar, stage);
    Files.createDirectories(cache.toAbsolutePath().getParent());
    Files.deleteIfExists(cache);
    // Under the staging directory (target/), not /tmp: every build would leave one there.
    Path index = Files.createTempDirectory(stage, "index-");
    Path log = stage.resolve("training.log");
    try (EmbeddingsStandIn embeddings = EmbeddingsStandIn.start(384, "aot-training-384");
        LocalRuntimeApi api = LocalRuntimeApi.start()) {
      List<String> command = new ArrayList<>(List.of(java.toString()));
      command.addAll(flags);
      command.add("-XX:AOTCacheOutput=" + cache.toAbsolutePath());
      command.addAll(
          List.of(
              "-cp",
              classpath,
              RicProcess.RIC_MAIN,
              HttpHandler.class.getName() + "::handleRequest"));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder
          .environment()
          .keySet()
          .removeIf(k -> k.startsWith("DOCPIPE_") || k.startsWith("AWS_"));
      builder.environment().putAll(RicProcess.lambdaVariables(api));
      builder.environment().putAll(embeddings.env());
      builder.environment().put("DOCPIPE_INDEX_DIR", index.toString());
      builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
      builder.redirectErrorStream(true).redirectOutput(log.toFile());
      Process runtimeClient = builder.start();
      try {
        StringBuilder documents = new StringBuilder("{\"documents\":[");
        for (int i = 0; i < 10; i++) {
          documents
              .append(i == 0 ? "" : ",")
              .append("{\"id\":\"note-")
              .append(i)
              .append("\",\"text\":\"Note ")
              .append(i)
              .append(" on harbour tides, ships and weather.\"}");
        }
        documents.append("]}");
        answer(api, runtimeClient, log, http("POST", "/v1/documents", documents.toString()));
        answer(
            api, runtimeClient, log, http("POST", "/v1/search", "{\"query\":\"tides\",\"k\":3}"));
        answer(
            api,
            runtimeClient,
            log,
            http("POST", "/v1/search", "{\"query\":\"ships\",\"k\":5,\"mode\":\"dense\"}"));
        answer(
            api,
            runtimeClient,
            log,
            "{\"rawPath\":\"/v1/search\"}".getBytes(StandardCharsets.UTF_8));
      } finally {
        // The cache is written at a normal exit: the client exits when its Runtime API is gone.
        api.close();
        if (!runtimeClient.waitFor(5, TimeUnit.MINUTES)) {
          runtimeClient.destroyForcibly();
          throw new IllegalStateException("the training run did not exit:\n" + tail(log));
        }
      }
    }
    if (!Files.isRegularFile(cache)) {
      throw new IllegalStateException("no AOT cache written by the training run:\n" + tail(log));
    }
    System.out.println("AOT cache " + cache + ": " + Files.size(cache) + " bytes");
  }

  /**
   * Copies the image's one jar (ADR 0037) to where the image has it, {@code /app}, rooted at {@code
   * stage} instead of {@code /}, and returns that class path. The JVM accepts a cache whose class
   * path differs only by that common prefix.
   */
  static String stage(Path appJar, Path stage) throws IOException {
    Path app = Files.createDirectories(stage.resolve("app"));
    Path staged = app.resolve(appJar.getFileName());
    copy(appJar, staged);
    return staged.toAbsolutePath().toString();
  }

  /**
   * A copy with the modification time Jib gives every file of the image (the root pom's {@code
   * filesModificationTime}, EPOCH_PLUS_SECOND): the JVM refuses a cache whose jars' times differ.
   */
  private static void copy(Path from, Path to) throws IOException {
    Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(to, FileTime.fromMillis(1_000));
  }

  private static byte[] http(String method, String path, String body) {
    String escaped = body.replace("\\", "\\\\").replace("\"", "\\\"");
    return ("{\"version\":\"2.0\",\"rawPath\":\""
            + path
            + "\",\"requestContext\":{\"http\":{\"method\":\""
            + method
            + "\"}},\"body\":\""
            + escaped
            + "\"}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private static void answer(LocalRuntimeApi api, Process runtimeClient, Path log, byte[] event)
      throws Exception {
    InvocationResult result = api.invoke(event, ANSWER, ANSWER);
    if (!(result instanceof InvocationResult.Response) || !runtimeClient.isAlive()) {
      throw new IllegalStateException("training invocation failed: " + result + "\n" + tail(log));
    }
  }

  private static String tail(Path log) throws IOException {
    String text = Files.exists(log) ? Files.readString(log) : "";
    return text.length() <= 4_000 ? text : "…" + text.substring(text.length() - 4_000);
  }
}
