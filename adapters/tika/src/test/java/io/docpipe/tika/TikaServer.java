package io.docpipe.tika;

import io.docpipe.testkit.ChildJvms;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Apache Tika Server (the jar Maven copied to target/tika-server/), run as a child process
 * on 127.0.0.1 with the module's tika-config.xml, the way the doc-builder image runs it.
 */
final class TikaServer implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final int port;
  private final Path log;
  private Process process;

  private TikaServer(int port, Path log) {
    this.port = port;
    this.log = log;
  }

  /** Starts a server on a free port and waits until it answers. */
  static TikaServer start() {
    TikaServer server = new TikaServer(freePort(), logFile());
    server.process = server.launch();
    return server;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The watchdog (parent) process: killing it takes its forked parser process with it. */
  ProcessHandle watchdog() {
    return process.toHandle();
  }

  /** {@code kill -9} of the server (watchdog and parser), as when its container dies. */
  void kill() throws InterruptedException {
    List<ProcessHandle> children = process.toHandle().descendants().toList();
    process.destroyForcibly(); // SIGKILL
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("the Tika Server did not die in 30 s");
    }
    for (ProcessHandle child : children) {
      child.destroyForcibly();
    }
    for (ProcessHandle child : children) {
      try {
        child.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new IllegalStateException("the forked parser process did not die in 30 s", e);
      }
    }
  }

  /** {@code kill -9} of the forked parser process only, as when a document makes it run out. */
  void killParser() {
    ProcessHandle parser =
        process
            .toHandle()
            .children()
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no forked parser process"));
    parser.destroyForcibly();
  }

  /** Starts the server again on the same port, after {@link #kill()}. */
  void restart() {
    process = launch();
  }

  /** Whether {@code GET /tika} answers 200 now. */
  boolean answers() {
    return SidecarHealthProbe.healthy(url().resolve("/tika"), Duration.ofSeconds(2));
  }

  /** Waits (bounded) until the server answers again, e.g. after its parser process restarted. */
  void awaitReady() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    for (int i = 0; i < 2_400; i++) {
      if (answers()) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the Tika Server exited " + process.exitValue() + "; its log: " + log);
      }
      if (System.nanoTime() - deadline >= 0) {
        break;
      }
      try {
        Thread.sleep(50); // polling another process's port: there is no event to wait on
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    throw new IllegalStateException("the Tika Server did not answer in " + STARTUP + "; " + log);
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private Process launch() {
    String jar = System.getProperty("docpipe.tika.serverJar");
    String config = System.getProperty("docpipe.tika.config");
    if (jar == null || !Files.isRegularFile(Path.of(jar)) || config == null) {
      throw new IllegalStateException(
          "no Tika Server jar (" + jar + "): run the tests through Maven, which copies it");
    }
    ProcessBuilder builder =
        ChildJvms.processBuilder(
            List.of("-Xmx128m"),
            List.of("-jar", jar, "-h", "127.0.0.1", "-p", Integer.toString(port), "-c", config));
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Tika Server", e);
    }
    awaitReady();
    return process;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
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
