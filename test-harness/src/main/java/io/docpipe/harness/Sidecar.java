package io.docpipe.harness;

import io.docpipe.testkit.TikaServerProcess;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The doc-builder sidecar of a harness run: one real Apache Tika Server on 127.0.0.1 that Fargate
 * and GKE extract through, as their sidecar containers would serve them. Its jar is the one the
 * build copies to {@code target/tika-server/} (next to the harness jar and to {@code
 * target/classes}), or {@code -Ddocpipe.tika.serverJar}; its configuration the {@code
 * tika-config.xml} docpipe's Tika adapter ships and the doc-builder image runs with.
 */
final class Sidecar {

  static final String CONFIG_RESOURCE = "io/docpipe/tika/tika-config.xml";
  static final String JAR_PROPERTY = "docpipe.tika.serverJar";

  private Sidecar() {}

  /** Starts the server, its config and log under {@code work}, and waits until it answers. */
  static TikaServerProcess start(Path work) throws IOException {
    Files.createDirectories(work);
    Path config = work.resolve("tika-config.xml");
    try (InputStream in = Sidecar.class.getClassLoader().getResourceAsStream(CONFIG_RESOURCE)) {
      if (in == null) {
        throw new IOException(
            CONFIG_RESOURCE + " is not on the class path (docpipe-tika, through the runtimes)");
      }
      Files.copy(in, config);
    }
    return TikaServerProcess.start(serverJar(), config, work.resolve("tika.log"));
  }

  /** The Tika Server jar: {@value #JAR_PROPERTY}, or {@code tika-server/} beside this code. */
  static Path serverJar() {
    String property = System.getProperty(JAR_PROPERTY);
    if (property != null) {
      return Path.of(property);
    }
    try {
      Path code =
          Path.of(Sidecar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      // target/classes or target/docpipe-harness.jar: the jar is copied beside either.
      Path target = Objects.requireNonNull(code.toAbsolutePath().getParent(), "no parent");
      return target.resolve("tika-server").resolve("tika-server-standard.jar");
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell where the harness's classes are", e);
    }
  }
}
