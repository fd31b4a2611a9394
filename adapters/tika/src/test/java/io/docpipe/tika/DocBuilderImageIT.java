package io.docpipe.tika;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.testkit.Podman;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The doc-builder image as ECS and GKE run it: non-root, read-only root (only /tmp writable),
 * Tika's forked parser inside; it extracts PDF, DOCX and HTML, and its health probe answers.
 */
class DocBuilderImageIT {

  @Test
  void image_extractsWithAReadOnlyRoot_asNonRoot_andItsHealthProbeAnswers() throws Exception {
    Podman podman = Podman.require();
    String image = podman.load(Path.of(System.getProperty("docpipe.image.tar")));
    String user =
        podman.run(List.of("image", "inspect", "--format", "{{.Config.User}}", image)).strip();
    assertEquals("65532:65532", user);

    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String name = "docpipe-doc-builder-it-" + UUID.randomUUID();
    List<String> command =
        podman.runCommand(
            image,
            List.of("--name", name, "--read-only", "--memory", "1g"),
            List.of("-h", "127.0.0.1", "-p", Integer.toString(port)));
    Path log = Files.createTempFile("docpipe-doc-builder-image", ".log");
    Process run =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      URI url = URI.create("http://127.0.0.1:" + port);
      boolean ready = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      for (int i = 0; i < 1_800 && !ready && System.nanoTime() - deadline < 0; i++) {
        ready = SidecarHealthProbe.healthy(url.resolve("/tika"), Duration.ofSeconds(2));
        if (!ready) {
          assertTrue(run.isAlive(), () -> "the container exited; logs:\n" + read(log));
          Thread.sleep(100); // polling a container's port: there is no event to wait on
        }
      }
      assertTrue(ready, () -> "not ready in 180 s; logs:\n" + read(log));

      TextExtractor tika = TikaExtraction.extractor(TikaSettings.of(url));
      String s = Samples.SENTENCE;
      assertEquals(
          s, tika.extract(Samples.document("a.pdf", Samples.PDF, Samples.pdf(s)), 10_000).strip());
      assertEquals(
          s,
          tika.extract(Samples.document("a.docx", Samples.DOCX, Samples.docx(s)), 10_000).strip());
      assertTrue(
          tika.extract(Samples.document("a.html", Samples.HTML, Samples.html("T", s)), 10_000)
              .contains(s));

      // The health check of the task definition and the pod, run inside the container.
      podman.run(
          List.of(
              "exec",
              name,
              "/opt/java/bin/java",
              "-XX:TieredStopAtLevel=1",
              "-Xmx16m",
              "-cp",
              "@/app/jib-classpath-file",
              SidecarHealthProbe.class.getName(),
              url.resolve("/tika").toString()));
    } finally {
      new ProcessBuilder("podman", "rm", "-f", "--ignore", name)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor();
      run.destroyForcibly();
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "(unreadable: " + e + ")";
    }
  }
}
