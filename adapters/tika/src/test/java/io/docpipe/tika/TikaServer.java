package io.docpipe.tika;

import io.docpipe.testkit.TikaServerProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real Apache Tika Server (the jar Maven copied to target/tika-server/), run as a child process
 * on 127.0.0.1 with the module's tika-config.xml, the way the doc-builder image runs it: the
 * testkit's {@link TikaServerProcess} (which the three-runtime harness starts too), given this
 * module's jar and config.
 */
final class TikaServer {

  private TikaServer() {}

  /** Starts a server on a free port and waits until it answers. */
  static TikaServerProcess start() {
    String jar = System.getProperty("docpipe.tika.serverJar");
    String config = System.getProperty("docpipe.tika.config");
    if (jar == null || config == null) {
      throw new IllegalStateException(
          "no Tika Server jar (" + jar + "): run the tests through Maven, which copies it");
    }
    return TikaServerProcess.start(Path.of(jar), Path.of(config), logFile());
  }

  private static Path logFile() {
    try {
      Path dir = Files.createDirectories(Path.of("target", "tika-server-logs"));
      return Files.createTempFile(dir, "tika-", ".log");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
