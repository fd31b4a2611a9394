package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ordinary commands print nothing on stderr but what the user must know: variables another runtime
 * reads are not reported as unknown, a misspelt one still is.
 */
class QuietCommandsTest {

  /** A command's exit code and its stderr, from a JVM of its own. */
  record Run(int exit, String out, String err) {}

  /** Runs {@code docpipe args} by main class in a child JVM, with {@code extra} in the env. */
  static Run child(Path work, Map<String, String> extra, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(
        List.of(
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            DocpipeCli.class.getName()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("DOCPIPE_") && !k.equals("DOCPIPE_OPENAI_API_KEY"));
    env.put("ORT_DISABLE_TELEMETRY", "1");
    env.putAll(extra);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("docpipe did not end within 120 s: " + Files.readString(err));
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void stats_withTheGkeWorkersAndFargatesVariablesSet_printsNoWarning_butATypoIsStillNamed(
      @TempDir Path work) throws Exception {
    Map<String, String> otherRuntimes =
        Map.of(
            "DOCPIPE_CORPUS", work.toString(),
            "DOCPIPE_SHARDS", "4",
            "DOCPIPE_SHARD_BATCH_SIZE", "16",
            "DOCPIPE_METRICS_PORT", "9464",
            "DOCPIPE_METRICS_LINGER_SECONDS", "30",
            "DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true",
            "DOCPIPE_HTTP_PORT", "8080",
            "DOCPIPE_API_AUTH", "none",
            "DOCPIPE_LOG_LEVEL", "WARNING");

    Run quiet = child(work, otherRuntimes, "stats", "--index", work.resolve("a").toString());

    assertThat(quiet.exit()).as(quiet.err()).isZero();
    assertThat(quiet.out()).contains("points:     0");
    assertThat(quiet.err()).as("stderr of docpipe stats").isEmpty();

    Map<String, String> typo = new java.util.HashMap<>(otherRuntimes);
    typo.put("DOCPIPE_CHUNK_TOKEN", "128");
    Run warned = child(work, typo, "stats", "--index", work.resolve("b").toString());

    assertThat(warned.exit()).isZero();
    assertThat(warned.err())
        .contains("ignoring unknown variable DOCPIPE_CHUNK_TOKEN")
        .doesNotContain("DOCPIPE_CORPUS")
        .doesNotContain("DOCPIPE_SHARDS")
        .doesNotContain("DOCPIPE_METRICS_PORT")
        .doesNotContain("DOCPIPE_METRICS_LINGER_SECONDS")
        .doesNotContain("DOCPIPE_ALLOW_EPHEMERAL_INDEX")
        .doesNotContain("DOCPIPE_HTTP_PORT");
  }
}
