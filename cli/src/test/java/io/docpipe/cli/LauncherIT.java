package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code docpipe} launcher at the checkout root, on the packaged jar: an ordinary command
 * prints its answer and nothing on stderr, no JVM warning about incubator modules and no warning
 * about variables that belong to the GKE worker.
 */
class LauncherIT {

  @Test
  void docpipeStats_throughTheLauncher_withTheGkeWorkersVariablesSet_writesNothingToStderr(
      @TempDir Path work) throws Exception {
    Path launcher = Path.of("").toAbsolutePath().resolveSibling("docpipe");
    assertThat(launcher).exists();
    assertThat(Path.of("target/docpipe.jar")).as("packaged before integration tests").exists();
    ProcessBuilder builder =
        new ProcessBuilder(
                List.of(
                    "sh", launcher.toString(), "stats", "--index", work.resolve("i").toString()))
            .redirectOutput(work.resolve("out.txt").toFile())
            .redirectError(work.resolve("err.txt").toFile());
    Map<String, String> env = builder.environment();
    env.keySet().removeIf(k -> k.startsWith("DOCPIPE_") && !k.equals("DOCPIPE_OPENAI_API_KEY"));
    env.remove("JAVA_TOOL_OPTIONS");
    env.put("DOCPIPE_CORPUS", work.toString());
    env.put("DOCPIPE_SHARDS", "4");

    Process process = builder.start();
    boolean ended = process.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(work.resolve("out.txt"));
    String err = Files.readString(work.resolve("err.txt"));

    assertThat(ended).as("ended within 120 s; stderr: %s", err).isTrue();
    assertThat(process.exitValue()).as(err).isZero();
    assertThat(out).contains("points:     0");
    assertThat(err).as("stderr of ./docpipe stats").isEmpty();
  }
}
