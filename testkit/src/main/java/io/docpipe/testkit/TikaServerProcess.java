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
 *
 * <p>One change to the config: the forked parser's {@code java.io.tmpdir} (the shipped {@code
 * /tmp}) becomes a directory of this server's own, deleted on {@link #close()}. Tika spools each
 * document there, and a parser that is killed (a hostile document, a test's {@code kill -9}) leaves
 * its spool file behind; in the image the health probe sweeps those, here the directory goes with
 * the server instead of piling up in the machine's {@code /tmp}.
 */
public final class TikaServerProcess implements AutoCloseable {

  private static final Duration STARTUP = Duration.ofSeconds(120);

  /** The shipped config's temp directory for the forked parser, which {@link #start} moves. */
  private static final String SHIPPED_TMPDIR = "-Djava.io.tmpdir=/tmp";

  private final Path jar;
  private final Path config;
  private final Path spool;
  private final int port;
  private final Path log;
  private Process process;

  private TikaServerProcess(Path jar, Path config, Path spool, int port, Path log) {
    this.jar = jar;
    this.config = config;
    this.spool = spool;
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
    Path home;
    Path spool;
    Path ownConfig;
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      home = Files.createTempDirectory("docpipe-tika-server-");
      spool = Files.createDirectory(home.resolve("tmp"));
      String text = Files.readString(config);
      if (!text.contains(SHIPPED_TMPDIR)) {
        throw new IllegalStateException(
            config
                + " no longer sets the parser's "
                + SHIPPED_TMPDIR
                + ": TikaServerProcess moves it");
      }
      ownConfig = home.resolve("tika-config.xml");
      Files.writeString(ownConfig, text.replace(SHIPPED_TMPDIR, "-Djava.io.tmpdir=" + spool));
    } catch (IOException e) {
      throw new IllegalStateException("cannot prepare the Tika Server's files next to " + log, e);
    }
    try {
      return new TikaServerProcess(jar, ownConfig, spool, freePort(), log);
    } catch (RuntimeException e) {
      deleteTree(home);
      throw e;
    }
  }

  /** Where it listens: {@code http://127.0.0.1:<port>}. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Its output. */
  public Path log() {
    return log;
  }

  /** Where its parser (and the watchdog) spool documents: {@code java.io.tmpdir} of both. */
  public Path spoolDirectory() {
    return spool;
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
    deleteTree(java.util.Objects.requireNonNull(spool.getParent(), "spool's home"));
  }

  private static void deleteTree(Path root) {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot delete the Tika Server's files in " + root, e);
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
            List.of("-Xmx128m", "-Djava.io.tmpdir=" + spool),
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
