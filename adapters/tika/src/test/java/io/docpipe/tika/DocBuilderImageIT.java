package io.docpipe.tika;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.docpipe.core.port.out.TextExtractor;
import io.docpipe.testkit.Podman;
import java.net.URI;
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
    assertEquals("65532:65532", podman.user(image));

    int port = Podman.freePort();
    String name = "docpipe-doc-builder-it-" + UUID.randomUUID();
    try (Podman.Container container =
        podman.start(
            name,
            image,
            List.of("--name", name, "--read-only", "--memory", "1g"),
            List.of("-h", "127.0.0.1", "-p", Integer.toString(port)))) {
      URI url = URI.create("http://127.0.0.1:" + port);
      boolean ready = false;
      long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
      for (int i = 0; i < 1_800 && !ready && System.nanoTime() - deadline < 0; i++) {
        ready = SidecarHealthProbe.healthy(url.resolve("/tika"), Duration.ofSeconds(2));
        if (!ready) {
          assertTrue(
              container.process().isAlive(),
              () -> "the container exited; logs:\n" + container.logs());
          Thread.sleep(100); // polling a container's port: there is no event to wait on
        }
      }
      assertTrue(ready, () -> "not ready in 180 s; logs:\n" + container.logs());

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
      container.runMain(
          "-Xmx16m", SidecarHealthProbe.class.getName(), url.resolve("/tika").toString());
    }
  }
}
