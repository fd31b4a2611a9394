package io.docpipe.fargate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.testkit.ChildJvms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@link FargateMain} in a JVM of its own, as ECS runs it. Its stderr (JSON log lines) goes to a
 * file: {@link Process#destroy()} closes the pipes, and the drain's lines come after it.
 */
final class ServiceProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LISTENING = Pattern.compile("docpipe listening on port (\\d+)");

  final Process process;
  private final Path log;

  ServiceProcess(Path workDir, Map<String, String> overrides) throws IOException {
    this(workDir, overrides, List.of());
  }

  /** With extra JVM options, such as a heap limit. */
  ServiceProcess(Path workDir, Map<String, String> overrides, List<String> jvmOptions)
      throws IOException {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> flags = new ArrayList<>();
    flags.add("-Xshare:off");
    // As in the image: an exhausted heap ends the process instead of limping on.
    flags.add("-XX:+ExitOnOutOfMemoryError");
    flags.add("-Djava.util.logging.manager=" + ShutdownLogManager.class.getName());
    flags.addAll(jvmOptions);
    ProcessBuilder builder =
        ChildJvms.processBuilder(flags, classpath, FargateMain.class.getName(), List.of());
    builder.environment().putAll(TestServices.env(workDir.resolve("index"), overrides));
    log = workDir.resolve("service.log");
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    builder.redirectError(log.toFile());
    process = builder.start();
  }

  /** Every line logged so far. */
  List<String> lines() {
    try {
      return Files.exists(log) ? Files.readAllLines(log, StandardCharsets.UTF_8) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private List<String> messages() {
    List<String> messages = new ArrayList<>();
    for (String line : lines()) {
      try {
        messages.add(JSON.readTree(line).path("message").asText());
      } catch (IOException notJson) {
        messages.add(line); // a JVM warning before logging is configured
      }
    }
    return messages;
  }

  /** The port from the "listening" log line. */
  int awaitPort(Duration timeout) {
    int[] port = {-1};
    Poll.until(
        timeout,
        () -> {
          for (String message : messages()) {
            Matcher m = LISTENING.matcher(message);
            if (m.find()) {
              port[0] = Integer.parseInt(m.group(1));
              return true;
            }
          }
          return !process.isAlive();
        });
    if (port[0] < 0) {
      throw new AssertionError("the service did not start listening: " + tail());
    }
    return port[0];
  }

  /** A client of the service once it listens and answers {@code /health/ready} with 200. */
  TestServices.Client awaitReady() {
    TestServices.Client client = new TestServices.Client(awaitPort(Duration.ofSeconds(60)));
    assertThat(
            Poll.until(Duration.ofSeconds(120), () -> client.statusOrZero("/health/ready") == 200))
        .as("ready: %s", tail())
        .isTrue();
    return client;
  }

  /** The last lines, for failure messages. */
  List<String> tail() {
    List<String> lines = lines();
    return lines.subList(Math.max(0, lines.size() - 12), lines.size());
  }

  boolean logged(String text) {
    return messages().stream().anyMatch(m -> m.contains(text));
  }

  /** A log line parsed, for tests of the log format. */
  static JsonNode parse(String line) throws IOException {
    return JSON.readTree(line);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
