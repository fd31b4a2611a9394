package io.docpipe.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code docpipe harness} as a user runs it: the sample handbook, and the argument errors. */
class HarnessCliTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new HarnessCli())
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void theSamples_comeOutIdenticalFromTheThreeRuntimes(@TempDir Path dir) {
    int exit =
        run(System.getProperty("docpipe.samples.dir"), "--work", dir.resolve("work").toString());

    assertThat(exit).as("%s%s", out, err).isZero();
    assertThat(out.toString())
        .contains("docpipe harness: 9 documents, 1 removed again, 2 GKE shards, 8 queries")
        .contains("lambda: ")
        .contains("fargate: ")
        .contains("gke: ")
        .containsPattern(
            "fargate and gke extract through the Tika sidecar at http://127\\.0\\.0\\.1:\\d+,"
                + " lambda in-process")
        .containsPattern("IDENTICAL: lambda, fargate and gke hold the same \\d+ points")
        // The samples' two HTML pages repeat their titles as first headings: Tika's text differs.
        .contains(
            "2 document(s) differ, none of them text or Markdown:"
                + " [operations/deploying.html, people/onboarding.html]");
  }

  @Test
  void noCorpus_isAUsageError() {
    assertThat(run()).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("give a corpus directory, --generate N, or both");
  }

  @Test
  void aCorpusThatIsNoDirectory_isAUsageError(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("file.txt"), "text");

    assertThat(run(file.toString())).isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("is not a directory");
  }

  @Test
  void anEnvOptionWithoutAKnownRuntime_isAUsageError() {
    assertThat(run("--generate", "1", "--env", "ecs:DOCPIPE_CHUNK_OVERLAP=0"))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("expected RUNTIME:NAME=VALUE with RUNTIME one of");
    assertThat(run("--generate", "1", "--env", "gke:=0")).isEqualTo(CommandLine.ExitCode.USAGE);
  }

  @Test
  void aUsedWorkDirectory_isRefused(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("corpus"));

    assertThat(run("--generate", "1", "--work", dir.toString()))
        .isEqualTo(CommandLine.ExitCode.USAGE);
    assertThat(err.toString()).contains("has been used before");
  }
}
