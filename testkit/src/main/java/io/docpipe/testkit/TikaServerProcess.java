package io.docpipe.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The real Apache Tika Server ({@code tika-server-standard}'s runnable jar, which the build copies
 * out of Maven) as a child process on 127.0.0.1, on a free port, with a given {@code
 * tika-config.xml}: the way the doc-builder image runs it. The Tika adapter's tests and the
 * three-runtime harness both start it through here.
 */
public final class TikaServerProcess implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(120);

  private final Path jar;
  private final Path config;
  private final int port;
  private final Path log;
  private Process process;

  private TikaServerProcess(Path jar, Path config, int port, Path log) {
    this.jar = jar;
    this.config = config;
    this.port = port;
    this.log = log;
    this.process = launch();
  }

  /**
   * Starts a server from {@code jar} with {@code config} on a free port of 127.0.0.1, its output
   * appended to {@code log}, and waits (bounded) until it answers {@code GET /tika}.
   */
  public static TikaServerProcess start(Path jar, Path config, Path log) {
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no Tika Server jar at " + jar + ": the build copies it there from Maven");
    }
    if (!Files.isRegularFile(config)) {
      throw new IllegalStateException("no tika-config.xml at " + config);
    }
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new IllegalStateException("cannot create the directory of " + log, e);
    }
    return new TikaServerProcess(jar, config, freePort(), log);
  }

  /** Where it listens: {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Its output. */
  public Path log() {
    return log;
  }

  /** The watchdog (parent) process: killing it takes its forked parser process with it. */
  public ProcessHandle watchdog() {
    return process.toHandle();
  }

  /** {@code kill -9} of the server (watchdog and parser), as when its container dies. */
  public void kill() throws InterruptedException {
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
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("the forked parser process did not die in 30 s", e);
      }
    }
  }

  /** {@code kill -9} of the forked parser process only, as when a document makes it run out. */
  public void killParser() {
    ProcessHandle parser =
        process
            .toHandle()
            .children()
            .findFirst()
            .orElseThrow(() -> new IllegalStateException("no forked parser process"));
    parser.destroyForcibly();
  }

  /** Starts the server again on the same port, after {@link #kill()}. */
  public void restart() {
    process = launch();
  }

  /** Whether {@code GET /tika} answers 200 now. */
  public boolean answers() {
    return !HttpProbe.okBody(url().resolve("/tika")).isEmpty();
  }

  /** Waits (bounded) until the server answers again, e.g. after its parser process restarted. */
  public void awaitReady() {
    awaitReady(process);
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

  private void awaitReady(Process server) {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    for (int i = 0; i < 2_400; i++) {
      if (answers()) {
        return;
      }
      if (!server.isAlive()) {
        throw new IllegalStateException(
            "the Tika Server exited " + server.exitValue() + "; its log: " + log);
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

  private Process launch() {
    ProcessBuilder builder =
        ChildJvms.processBuilder(
            List.of("-Xmx128m"),
            List.of(
                "-jar",
                jar.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port),
                "-c",
                config.toString()));
    builder
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    Process started;
    try {
      started = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start the Tika Server", e);
    }
    try {
      awaitReady(started);
    } catch (RuntimeException e) {
      started.destroyForcibly();
      throw e;
    }
    return started;
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
