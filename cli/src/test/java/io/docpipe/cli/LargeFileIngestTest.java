package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.service.IngestSettings;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

    SmallHeapIngest child = SmallHeapIngest.run(work, corpus, 120, "large-file-child-output.log");

    assertThat(child.exitValue())
        .as("stdout: %s%nstderr: %s", child.out(), child.err())
        .isEqualTo(DocpipeCli.SOME_DOCUMENTS_FAILED);
    assertThat(child.out())
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
