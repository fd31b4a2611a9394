package io.docpipe.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a profiled run spent its time: the methods on top of the sampled stacks of a JFR recording
 * ({@code jdk.ExecutionSample}: threads running Java code; {@code jdk.NativeMethodSample}: threads
 * inside a native method, such as ONNX Runtime's inference), and for each sample the first docpipe
 * frame from the top (which of docpipe's methods the time is spent under).
 */
record JfrSummary(
    long javaSamples,
    long nativeSamples,
    List<Count> topFrames,
    List<Count> topNativeFrames,
    List<Count> topDocpipeFrames) {

  static final String DOCPIPE = "io.docpipe.";

  /** A frame (class.method) and how many samples it was seen in. */
  record Count(String frame, long samples) {}

  static JfrSummary read(Path recording, int top) {
    Map<String, Long> frames = new HashMap<>();
    Map<String, Long> nativeFrames = new HashMap<>();
    Map<String, Long> docpipeFrames = new HashMap<>();
    long javaSamples = 0;
    long nativeSamples = 0;
    try (RecordingFile file = new RecordingFile(recording)) {
      while (file.hasMoreEvents()) {
        RecordedEvent event = file.readEvent();
        String type = event.getEventType().getName();
        boolean java = type.equals("jdk.ExecutionSample");
        if (!java && !type.equals("jdk.NativeMethodSample")) {
          continue;
        }
        RecordedStackTrace stack = event.getStackTrace();
        if (stack == null || stack.getFrames().isEmpty()) {
          continue;
        }
        List<RecordedFrame> stackFrames = stack.getFrames();
        if (java) {
          javaSamples++;
          frames.merge(name(stackFrames.getFirst()), 1L, Long::sum);
        } else {
          nativeSamples++;
          nativeFrames.merge(name(stackFrames.getFirst()), 1L, Long::sum);
        }
        for (RecordedFrame frame : stackFrames) {
          String name = name(frame);
          if (name.startsWith(DOCPIPE)) {
            docpipeFrames.merge(name, 1L, Long::sum);
            break;
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the recording " + recording, e);
    }
    return new JfrSummary(
        javaSamples,
        nativeSamples,
        top(frames, top),
        top(nativeFrames, top),
        top(docpipeFrames, top));
  }

  /**
   * The summary of {@code recording}, or why there is none: a process that ends with {@code
   * Runtime.halt} or {@code System.exit} from a shutdown hook can leave an empty recording, and a
   * missing profile must not cost the whole generated document.
   */
  static String markdownOrReason(Path recording, int top, String title) {
    try {
      return read(recording, top).markdown(title);
    } catch (UncheckedIOException e) {
      return "**Profile: "
          + title
          + "**: no usable recording ("
          // The cause says what is wrong with the file (e.g. "File size is 0 bytes").
          + String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage())
          + "; the process did not write its flight recording at exit).\n";
    }
  }

  private static String name(RecordedFrame frame) {
    if (frame.getMethod() == null) {
      return "(unknown)";
    }
    return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
  }

  static List<Count> top(Map<String, Long> counts, int n) {
    List<Count> sorted = new ArrayList<>();
    counts.forEach((frame, samples) -> sorted.add(new Count(frame, samples)));
    sorted.sort(
        java.util.Comparator.comparingLong(Count::samples).reversed().thenComparing(Count::frame));
    return List.copyOf(sorted.subList(0, Math.min(n, sorted.size())));
  }

  /** A Markdown section: three small tables with each frame's share of its samples. */
  String markdown(String title) {
    StringBuilder md = new StringBuilder();
    md.append("**Profile: ").append(title).append("** (JFR, `settings=profile`; ");
    md.append(javaSamples).append(" Java samples, ").append(nativeSamples);
    md.append(" native-method samples)\n\n");
    table(md, "top frame (running Java)", topFrames, javaSamples);
    table(md, "top frame (in a native method)", topNativeFrames, nativeSamples);
    table(md, "first docpipe frame from the top", topDocpipeFrames, javaSamples + nativeSamples);
    return md.toString();
  }

  private static void table(StringBuilder md, String heading, List<Count> counts, long total) {
    if (counts.isEmpty() || total == 0) {
      return;
    }
    md.append("| ").append(heading).append(" | share |\n|---|---|\n");
    for (Count c : counts) {
      md.append("| `")
          .append(c.frame())
          .append("` | ")
          .append(Samples.fmt(100.0 * c.samples() / total))
          .append(" % |\n");
    }
    md.append('\n');
  }

  /**
   * Writes the running JVM {@code pid}'s flight recordings (started with {@link
   * ChildJvm#flightRecording} or {@link #start}) to {@code file} with {@code jcmd}, before the
   * process is stopped: a process that halts on SIGTERM would otherwise never write it.
   */
  static void dump(long pid, Path file) {
    jcmd(pid, "JFR.dump", "filename=" + file.toAbsolutePath());
  }

  /** Starts a profiling flight recording in the running JVM {@code pid}. */
  static void start(long pid) {
    jcmd(pid, "JFR.start", "settings=profile");
  }

  private static void jcmd(long pid, String... command) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    List<String> line = new ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
    line.addAll(List.of(command));
    try {
      Process p =
          new ProcessBuilder(line)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(Duration.ofSeconds(60).toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("jcmd " + String.join(" ", command) + " took over 60 s");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + String.join(" ", command) + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + jcmd, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
