package io.docpipe.testkit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The one recipe for running docpipe code in a JVM of its own (a Lambda runtime client, a GKE
 * worker, the harness's runtimes, a benchmark): the running JDK's {@code java}, native access on
 * (onnxruntime and the Lambda client load native code), the serial GC (many small JVMs share few
 * cores), and an environment that holds none of this process's {@code DOCPIPE_*}, {@code JOB_*} or
 * {@code AWS_*} variables, so a child gets exactly the configuration its caller puts.
 */
public final class ChildJvms {

  /**
   * Flags for short-lived JVMs on a busy machine: the vector API Lucene's HNSW uses, C1 only
   * (starts faster; the model runs in native code anyway) and a 512 MiB heap.
   */
  public static final List<String> SHORT_LIVED =
      List.of("--add-modules", "jdk.incubator.vector", "-XX:TieredStopAtLevel=1", "-Xmx512m");

  private ChildJvms() {}

  /** The {@code java} launcher of the JDK this JVM runs on. */
  public static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A process builder for {@code java <defaults> <jvmFlags> <launch>}, where {@code launch} is
   * {@code -cp <path> <main> <args>} or {@code -jar <jar> <args>}; the caller adds its variables
   * and redirects, then starts it.
   */
  public static ProcessBuilder processBuilder(List<String> jvmFlags, List<String> launch) {
    List<String> command = new ArrayList<>();
    command.add(java());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-XX:+UseSerialGC");
    command.addAll(jvmFlags);
    command.addAll(launch);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder
        .environment()
        .keySet()
        .removeIf(k -> k.startsWith("DOCPIPE_") || k.startsWith("JOB_") || k.startsWith("AWS_"));
    // As in the images: onnxruntime's telemetry start-up can crash the JVM (SIGSEGV) without it.
    builder.environment().put("ORT_DISABLE_TELEMETRY", "1");
    return builder;
  }

  /** {@link #processBuilder(List, List)} for {@code main} on {@code classpath}. */
  public static ProcessBuilder processBuilder(
      List<String> jvmFlags, String classpath, String main, List<String> args) {
    List<String> launch = new ArrayList<>(List.of("-cp", classpath, main));
    launch.addAll(args);
    return processBuilder(jvmFlags, launch);
  }
}
