package io.docpipe.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the images the build made (target/image/*.tar) with podman, the way this project's machines
 * can: the runc runtime, raised ulimits and host networking only (containers talk to 127.0.0.1).
 * Tests call {@link #require()}, which skips them with a clear message where podman is absent.
 */
public final class Podman {

  /** The flags every {@code podman run} needs here; see shared MACHINE-NOTES. */
  public static final List<String> RUN_FLAGS =
      List.of(
          "--rm",
          "--runtime",
          "runc",
          "--ulimit",
          "nofile=20000:20000",
          "--ulimit",
          "nproc=32768:32768",
          "--network=host");

  private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);

  private final String executable;

  private Podman(String executable) {
    this.executable = executable;
  }

  /** Podman, or the test is skipped (not failed) with the reason. */
  public static Podman require() {
    String problem = probe();
    Assumptions.assumeTrue(
        problem == null,
        () -> "skipped: podman cannot run images here (" + problem + "); .ci/run installs it");
    return new Podman("podman");
  }

  /** Why podman cannot run here, or null when it can. */
  private static @Nullable String probe() {
    try {
      Process p =
          new ProcessBuilder("podman", "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "podman --version did not answer in 30 s";
      }
      return p.exitValue() == 0 ? null : "podman --version exited " + p.exitValue();
    } catch (IOException e) {
      return "podman is not on PATH";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /**
   * Loads an image archive built by Jib and returns the image reference it holds (from the
   * archive's {@code manifest.json} RepoTags, as podman names it after loading).
   */
  public String load(Path imageTar) {
    if (!Files.isRegularFile(imageTar)) {
      throw new IllegalStateException(
          "no image at " + imageTar + ": run `./mvnw package` (the image is built at package)");
    }
    String output = run(List.of("load", "-i", imageTar.toString()));
    for (String line : output.split("\n")) {
      if (line.startsWith("Loaded image")) {
        return line.substring(line.indexOf(':') + 1).strip();
      }
    }
    throw new IllegalStateException("podman load printed no image name:\n" + output);
  }

  /**
   * The options of a container as the deploy files run it: named {@code name}, a read-only root
   * file system, {@code env} as its environment, then {@code more}.
   */
  public static List<String> readOnly(String name, Map<String, String> env, String... more) {
    List<String> options = new ArrayList<>(List.of("--name", name, "--read-only"));
    env.forEach((key, value) -> options.addAll(List.of("-e", key + "=" + value)));
    options.addAll(List.of(more));
    return options;
  }

  /** {@code podman run} with {@link #RUN_FLAGS}, options, the image and its arguments. */
  public List<String> runCommand(String image, List<String> options, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.add("run");
    command.addAll(RUN_FLAGS);
    command.addAll(options);
    command.add(image);
    command.addAll(args);
    return command;
  }

  /** The user an image runs as ({@code Config.User}, e.g. {@code 65532:65532}). */
  public String user(String image) {
    return run(List.of("image", "inspect", "--format", "{{.Config.User}}", image)).strip();
  }

  /** A port free on 127.0.0.1 now, for a host-network container to listen on. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Starts {@code image} attached (so the process's exit code is the container's) as {@code name},
   * with {@link #RUN_FLAGS}, {@code options} (which must name it {@code name}, as {@link #readOnly}
   * does) and {@code args}; what it prints goes to a temporary log file.
   */
  public Container start(String name, String image, List<String> options, List<String> args) {
    try {
      Path log = Files.createTempFile(name, ".log");
      Process process =
          new ProcessBuilder(runCommand(image, options, args))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      return new Container(this, name, process, log);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start " + image, e);
    }
  }

  /** A container started by {@link #start}; closing it removes it, whatever state it is in. */
  public record Container(Podman podman, String name, Process process, Path log)
      implements AutoCloseable {

    /** What the container printed so far, for assertion messages. */
    public String logs() {
      try {
        return Files.readString(log);
      } catch (IOException e) {
        return "(log unreadable: " + e + ")";
      }
    }

    /**
     * Runs {@code main} from the image's own class path (Jib's {@code /app/jib-classpath-file}) in
     * a small JVM inside the running container, as a container health check does; fails when it
     * exits non-zero.
     */
    public String runMain(String maxHeap, String main, String... args) {
      List<String> command =
          new ArrayList<>(
              List.of(
                  "exec",
                  name,
                  "/opt/java/bin/java",
                  "-XX:TieredStopAtLevel=1",
                  maxHeap,
                  "-cp",
                  "@/app/jib-classpath-file",
                  main));
      command.addAll(List.of(args));
      return podman.run(command);
    }

    @Override
    public void close() {
      try {
        new ProcessBuilder(podman.executable, "rm", "-f", "--ignore", name)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start()
            .waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        process.destroyForcibly();
      }
    }
  }

  /** Runs a podman subcommand to completion and returns its output; fails on a non-zero exit. */
  public String run(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(executable);
    command.addAll(args);
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      String text = new String(out, StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new IllegalStateException(command + " exited " + p.exitValue() + ":\n" + text);
      }
      return text;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }
}
