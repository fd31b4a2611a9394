package io.docpipe.benchmarks;

import io.docpipe.testkit.ChildJvms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A runtime started as the process it runs as in production, minus the cloud: a JVM of its own on
 * the suite's class path, with the environment it is given (none of the caller's DOCPIPE_*, JOB_*
 * or AWS_* variables), its output in a log file. {@link #close()} always ends it: SIGTERM, then
 * SIGKILL after a bound.
 */
final class ChildJvm implements AutoCloseable {

  private static final Duration STOP = Duration.ofSeconds(20);

  private final Process process;
  private final Path log;
  private final long startedNanos;

  private ChildJvm(Process process, Path log, long startedNanos) {
    this.process = process;
    this.log = log;
    this.startedNanos = startedNanos;
  }

  /**
   * Starts {@code main} with {@code jvmFlags} (after the flags every child gets) and {@code args}.
   */
  static ChildJvm start(
      List<String> jvmFlags, String main, List<String> args, Map<String, String> env, Path log) {
    return start(jvmFlags, System.getProperty("java.class.path"), main, args, env, log);
  }

  /** {@link #start(List, String, List, Map, Path)} on {@code classpath}. */
  static ChildJvm start(
      List<String> jvmFlags,
      String classpath,
      String main,
      List<String> args,
      Map<String, String> env,
      Path log) {
    ProcessBuilder builder = ChildJvms.processBuilder(jvmFlags, classpath, main, args);
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    try {
      Files.createDirectories(log.toAbsolutePath().getParent());
      builder.redirectOutput(log.toFile());
      long started = System.nanoTime();
      return new ChildJvm(builder.start(), log, started);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + main, e);
    }
  }

  /** The JVM flags that make a child record a JFR profile into {@code file} until it exits. */
  static List<String> flightRecording(Path file) {
    return List.of(
        "-XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true");
  }

  long pid() {
    return process.pid();
  }

  /** When the process was started, on the {@link System#nanoTime()} clock. */
  long startedNanos() {
    return startedNanos;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the process to exit by itself; its exit code, or an exception with its log. */
  int awaitExit(Duration limit) {
    try {
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("did not exit within " + limit + "; log:\n" + tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    return process.exitValue();
  }

  /**
   * Polls the log until {@code pattern} matches and returns its first group; fails with the log
   * when the process exits first or {@code limit} passes.
   */
  String awaitLog(Pattern pattern, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      Matcher m = pattern.matcher(text());
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : m.group();
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("exited with " + process.exitValue() + ":\n" + tail());
      }
      pause(Duration.ofMillis(50));
    }
    throw new IllegalStateException("no '" + pattern + "' within " + limit + ":\n" + tail());
  }

  /** The last lines of the log, for error messages. */
  String tail() {
    String text = text();
    return text.length() <= 4_000 ? text : "…" + text.substring(text.length() - 4_000);
  }

  private String text() {
    try {
      return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** The polling interval of a bounded wait: never a stand-in for a condition. */
  static void pause(Duration interval) {
    try {
      Thread.sleep(interval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** SIGTERM, then SIGKILL if the process has not exited within a bound. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(STOP.toSeconds(), TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
