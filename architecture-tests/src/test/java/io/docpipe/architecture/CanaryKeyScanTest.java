package io.docpipe.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canary API key that the build gives every test JVM ({@code DOCPIPE_OPENAI_API_KEY}, root pom)
 * appears 0 times in the logs the test suite produced. This module is the last of the reactor, so
 * every other module's tests have run and left their logs under their {@code target/}.
 */
class CanaryKeyScanTest {

  @Test
  void theCanaryApiKey_appearsInNoLogOfTheBuild() {
    String canary = System.getProperty("docpipe.canary.apiKey");
    assumeTrue(
        canary != null && !canary.isBlank(),
        "docpipe.canary.apiKey is set by the root pom's surefire configuration; not set here");
    assertThat(System.getenv("DOCPIPE_OPENAI_API_KEY"))
        .as("the test JVMs get the canary as their API key")
        .isEqualTo(canary);
    Path root = Path.of("").toAbsolutePath().getParent();
    assertThat(root.resolve("core/pom.xml")).as("the checkout root").exists();

    List<Path> logs = LogScan.logFiles(root);

    assertThat(logs).as("test logs of the build").isNotEmpty();
    assertThat(LogScan.occurrences(logs, canary)).as("files that hold the canary key").isEmpty();
  }

  @Test
  void theScan_findsAPlantedKey_inLogsAndTestOutput_andNowhereElse(@TempDir Path root)
      throws IOException {
    String key = "sk-planted-canary-0123";
    Path jul = write(root.resolve("core/target/test-jul-0.log"), "INFO: key=" + key + " " + key);
    Path output =
        write(
            root.resolve("adapters/x/target/surefire-reports/io.x.FooTest-output.txt"),
            "Authorization: Bearer " + key);
    Path failsafe =
        write(root.resolve("y/target/failsafe-reports/io.y.BarIT-output.txt"), "no key here");
    write(root.resolve("core/src/main/resources/app.log"), key); // not a build log
    write(root.resolve("core/target/surefire-reports/TEST-io.x.FooTest.xml"), key); // not output

    List<Path> logs = LogScan.logFiles(root);
    Map<Path, Integer> found = LogScan.occurrences(logs, key);

    assertThat(logs).containsExactlyInAnyOrder(jul, output, failsafe);
    assertThat(found).containsOnly(Map.entry(jul, 2), Map.entry(output, 1));
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }
}
