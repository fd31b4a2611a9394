package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.testkit.ChildJvms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code docpipe ingest} of one folder in a JVM of its own with a 256 MB heap, as the tests of
 * inputs that would exhaust memory run it: the defaults, except the build's canary API key, which
 * must not show in the logs. The child's output is kept under {@code target/} so that the canary
 * scan at the end of the build reads it.
 */
record SmallHeapIngest(int exitValue, String out, String err) {

  static SmallHeapIngest run(Path work, Path corpus, int timeoutSeconds, String logName)
      throws Exception {
    ProcessBuilder builder =
        ChildJvms.processBuilder(
                List.of("-Xmx256m"),
                System.getProperty("java.class.path"),
                DocpipeCli.class.getName(),
                List.of("ingest", "--index", work.resolve("index").toString(), corpus.toString()))
            .redirectOutput(work.resolve("out.txt").toFile())
            .redirectError(work.resolve("err.txt").toFile());
    String canary = System.getenv("DOCPIPE_OPENAI_API_KEY");
    if (canary != null) {
      builder.environment().put("DOCPIPE_OPENAI_API_KEY", canary);
    }
    Process child = builder.start();
    boolean ended = child.waitFor(timeoutSeconds, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(work.resolve("out.txt"));
    String err = Files.readString(work.resolve("err.txt"));
    Files.writeString(Path.of("target", logName), out + err);
    assertThat(ended).as("the run ended within %d s; stderr: %s", timeoutSeconds, err).isTrue();
    assertThat(err).doesNotContain("OutOfMemoryError");
    return new SmallHeapIngest(child.exitValue(), out, err);
  }
}
