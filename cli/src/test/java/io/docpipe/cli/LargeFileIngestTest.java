package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.service.IngestSettings;
import io.docpipe.testkit.ChildJvms;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The `docpipe` command in its own JVM with a 256 MB heap over a corpus with a 1 GiB text file (the
 * size is the system property {@code docpipe.largeFile.bytes}) and a file just under the byte cap
 * whose text is past the character cap: both fail {@code too_large}, the small file beside them is
 * indexed, and the run ends normally with the documented exit code — no OutOfMemoryError.
 */
class LargeFileIngestTest {

  private static final long HUGE_BYTES =
      Long.getLong("docpipe.largeFile.bytes", 1024L * 1024 * 1024);
  private static final long NEAR_CAP_BYTES =
      IngestSettings.DEFAULT_MAX_DOCUMENT_BYTES - 4L * 1024 * 1024;

  @TempDir Path work;

  @Test
  void hugeAndNearCapTextFiles_failTooLarge_withA256MbHeap_andTheRunGoesOn() throws Exception {
    Path corpus = Files.createDirectories(work.resolve("corpus"));
    writeLines(corpus.resolve("huge.txt"), HUGE_BYTES);
    writeLines(corpus.resolve("near-cap.txt"), NEAR_CAP_BYTES);
    Files.writeString(corpus.resolve("small.txt"), "A small note about the coffee machine.\n");

    ProcessBuilder builder =
        ChildJvms.processBuilder(
                List.of("-Xmx256m"),
                System.getProperty("java.class.path"),
                DocpipeCli.class.getName(),
                List.of("ingest", "--index", work.resolve("index").toString(), corpus.toString()))
            .redirectOutput(work.resolve("out.txt").toFile())
            .redirectError(work.resolve("err.txt").toFile());
    // The defaults, except the canary API key of the build, which must not show in the logs.
    String canary = System.getenv("DOCPIPE_OPENAI_API_KEY");
    if (canary != null) {
      builder.environment().put("DOCPIPE_OPENAI_API_KEY", canary);
    }
    Process child = builder.start();
    boolean ended = child.waitFor(120, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    String out = Files.readString(work.resolve("out.txt"));
    String err = Files.readString(work.resolve("err.txt"));
    // Kept under target/ so that the canary scan at the end of the build reads the child's logs.
    Files.writeString(Path.of("target", "large-file-child-output.log"), out + err);

    assertThat(ended).as("the run ended within 120 s; stderr: %s", err).isTrue();
    assertThat(err).doesNotContain("OutOfMemoryError");
    assertThat(child.exitValue())
        .as("stdout: %s%nstderr: %s", out, err)
        .isEqualTo(DocpipeCli.SOME_DOCUMENTS_FAILED);
    assertThat(out)
        .contains("3 documents: 1 indexed, 0 unchanged, 2 failed")
        .contains(
            "failed  huge.txt: too_large",
            "has "
                + HUGE_BYTES
                + " bytes; the limit is "
                + IngestSettings.DEFAULT_MAX_DOCUMENT_BYTES)
        .contains(
            "failed  near-cap.txt: too_large",
            "text passes " + IngestSettings.DEFAULT_MAX_TEXT_CHARS + " chars");
  }

  /** {@code bytes} of repeated ASCII lines, written in 1 MiB blocks. */
  private static void writeLines(Path file, long bytes) throws IOException {
    byte[] line =
        "The quick brown fox jumps over the lazy dog; docpipe must not run out of memory.\n"
            .getBytes(StandardCharsets.US_ASCII);
    byte[] block = new byte[1 << 20];
    for (int i = 0; i < block.length; i++) {
      block[i] = line[i % line.length];
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long left = bytes; left > 0; left -= block.length) {
        out.write(block, 0, (int) Math.min(block.length, left));
      }
    }
  }
}
