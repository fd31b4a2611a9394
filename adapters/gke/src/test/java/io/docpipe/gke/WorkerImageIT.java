package io.docpipe.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.testkit.Podman;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One shard in the built image, as the Indexed Job's pod template runs it: non-root, read-only
 * root, {@code JOB_COMPLETION_INDEX} set, the corpus mounted read-only.
 */
class WorkerImageIT {

  @TempDir Path temp;

  @Test
  void oneShardRunsInTheImage_andIndexesExactlyItsDocuments() throws Exception {
    Podman podman = Podman.require();
    String image = podman.load(Path.of("target", "image", "docpipe-gke.tar"));
    Path corpus = temp.resolve("corpus");
    List<DocumentId> ids = Workers.corpus(corpus, 24, 3);
    Path out = Files.createDirectory(temp.resolve("out"));
    // The image runs as 65532: let it write the index and checkpoints here.
    Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxrwxrwx"));
    Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwxr-xr-x"));
    List<String> command =
        podman.runCommand(
            image,
            List.of(
                "--read-only",
                "-v",
                corpus + ":/corpus:ro",
                "-v",
                out + ":/out",
                "-e",
                "JOB_COMPLETION_INDEX=1",
                "-e",
                "DOCPIPE_SHARDS=2",
                "-e",
                "DOCPIPE_ALLOW_EPHEMERAL_INDEX=true",
                "-e",
                "DOCPIPE_CORPUS=/corpus",
                "-e",
                "DOCPIPE_INDEX_DIR=/out/index",
                "-e",
                "DOCPIPE_ONNX_THREADS=1",
                // Which native libraries load, and the flags the JVM runs with: both set by the
                // image alone, and a lost one would only slow the pods down.
                "-e",
                "JAVA_TOOL_OPTIONS=-Xlog:library=info -XX:+PrintCommandLineFlags"),
            List.of("worker"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] log = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    String text = new String(log, java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(text).isZero();
    assertThat(text).contains("shard 1/2 completed");
    assertThat(text)
        .as("the in-process model loads as the image build prepared it (ADR 0033)")
        .contains("from its graph prepared in /app/onnx");
    assertThat(text)
        .as("ONNX Runtime's libraries load from the image, not extracted to /tmp per pod")
        .contains("Loaded library /app/onnx/native/libonnxruntime.so")
        .contains("Loaded library /app/onnx/native/libonnxruntime4j_jni.so")
        .doesNotContain("Loaded library /tmp/");
    assertThat(text)
        .as("the worker's JVM runs C1 only (ADR 0038)")
        .contains("-XX:TieredStopAtLevel=1")
        .doesNotContain("-XX:-TieredCompilation");
    assertThat(text)
        .as("no advice to add the module the image leaves out on purpose")
        .doesNotContain("incubator module is not readable");
    assertThat(
            podman.run(
                List.of("image", "inspect", "--format", "{{json .Config.Entrypoint}}", image)))
        .as("the image's entry point: C1 only, without the incubator module Lucene needs C2 for")
        .contains("\"-XX:TieredStopAtLevel=1\"")
        .doesNotContain("--add-modules");

    List<DocumentId> expected = new ArrayList<>();
    for (DocumentId id : ids) {
      if (ShardSpec.shardOf(id, 2) == 1) {
        expected.add(id);
      }
    }
    try (GkeComponent c =
        GkeComponent.create(
            Workers.config(out.resolve("index"), out.resolve("index/checkpoints")),
            new ShardSpec(1, 2),
            OutcomeLog.NONE)) {
      Set<DocumentId> stored = c.vectorStore().storedHashes(ids).keySet();
      assertThat(stored).containsExactlyInAnyOrderElementsOf(expected);
      Checkpoint checkpoint = c.checkpoints().load(new ShardSpec(1, 2)).orElseThrow();
      assertThat(checkpoint.complete()).isTrue();
      assertThat(checkpoint.progress().indexed()).isEqualTo(expected.size());
    }
  }
}
