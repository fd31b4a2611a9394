package io.docpipe.lambda;

import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
import io.docpipe.testkit.ChildJvms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The AWS Lambda runtime interface client running a docpipe handler in its own JVM, talking to a
 * {@link LocalRuntimeApi}: the way Lambda runs the image's entry point, minus the container.
 */
final class RicProcess implements AutoCloseable {

  static final String RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  private final Process process;
  private final Path log;

  private RicProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /**
   * Starts {@code handler} (e.g. {@code io.docpipe.lambda.SqsHandler::handleRequest}) with the
   * Lambda variables a function gets, {@code env} on top, and {@code jvmFlags} before the class
   * path.
   */
  static RicProcess start(
      String handler, LocalRuntimeApi api, Map<String, String> env, Path log, List<String> jvmFlags)
      throws IOException {
    String classpath = System.getProperty("docpipe.lambda.classpath");
    if (classpath == null || classpath.isBlank()) {
      throw new IllegalStateException(
          "docpipe.lambda.classpath is not set: run the tests with Maven");
    }
    ProcessBuilder builder =
        ChildJvms.processBuilder(jvmFlags, classpath, RIC_MAIN, List.of(handler));
    builder.environment().putAll(lambdaVariables(api));
    builder.environment().putAll(env);
    builder.redirectErrorStream(true);
    builder.redirectOutput(log.toFile());
    return new RicProcess(builder.start(), log);
  }

  /** The variables Lambda gives the function, plus leave to keep its index on local disk. */
  static Map<String, String> lambdaVariables(LocalRuntimeApi api) {
    Map<String, String> variables = new HashMap<>(api.functionVariables("docpipe-local"));
    // A local run's index is a throwaway by design (LambdaEnvironment refuses it otherwise).
    variables.put("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "true");
    return variables;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Sends one event through {@code api} and waits at most {@code wait} for this runtime's answer;
   * fails at once, with the runtime's log, when the runtime process exits instead of answering.
   */
  InvocationResult invoke(LocalRuntimeApi api, byte[] event, Duration timeout, Duration wait)
      throws TimeoutException, InterruptedException {
    CompletableFuture<InvocationResult> result = api.submit(event, timeout);
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        return result.get(200, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw new IllegalStateException("invocation abandoned: " + e.getCause(), e.getCause());
      } catch (TimeoutException e) {
        if (!process.isAlive()) {
          result.cancel(false);
          throw new IllegalStateException(
              "the runtime client exited with code "
                  + process.exitValue()
                  + " before answering; its log:\n"
                  + log());
        }
        if (System.nanoTime() > deadline) {
          result.cancel(false);
          throw new TimeoutException("no answer within " + wait + "; the runtime's log:\n" + log());
        }
      }
    }
  }

  boolean waitForExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS);
  }

  /** What the runtime and the handler printed, for assertion messages. */
  String log() {
    try {
      return Files.readString(log);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Stops the runtime as Lambda does when it shuts an environment down (SIGTERM, then SIGKILL). */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
