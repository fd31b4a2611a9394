package io.docpipe.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.testkit.ChildJvms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docpipe harness} from the packaged jar, as {@code ./docpipe harness} runs it: the runtimes
 * get the jar's manifest class path, so a dependency missing from {@code lib/} (a PDF library the
 * Lambda handlers need, say) fails here although the in-process tests pass.
 */
class HarnessJarIT {

  @Test
  void thePackagedHarness_findsTheSamplesIdentical(@TempDir Path dir) throws Exception {
    Path jar = Path.of(System.getProperty("docpipe.harness.jar"));
    assertThat(jar).as("run after package").exists();
    Path output = dir.resolve("output.txt");
    ProcessBuilder builder =
        ChildJvms.processBuilder(
            List.of("--add-modules", "jdk.incubator.vector"),
            List.of(
                "-jar",
                jar.toString(),
                System.getProperty("docpipe.samples.dir"),
                "--work",
                dir.resolve("work").toString()));
    builder.redirectErrorStream(true).redirectOutput(output.toFile());
    Process harness = builder.start();
    try {
      assertThat(harness.waitFor(10, TimeUnit.MINUTES)).as("the harness finished").isTrue();
      String printed = Files.readString(output, StandardCharsets.UTF_8);
      assertThat(harness.exitValue()).as(printed).isZero();
      assertThat(printed).contains("IDENTICAL: lambda, fargate and gke hold the same");
      // The sidecar's jar is found beside the harness jar, its config on the manifest class path.
      assertThat(printed).contains("fargate and gke extract through the Tika sidecar");
    } finally {
      harness.destroyForcibly();
    }
  }
}
