package io.docpipe.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * Samples a process's resident set size from {@code /proc/<pid>/status} (VmRSS) at a fixed interval
 * while it runs: the memory the kernel holds for it, heap, metaspace, thread stacks and native
 * libraries included.
 */
final class RssSampler {

  /** One sample: seconds since the process started, VmRSS and RssAnon in bytes. */
  record Sample(double seconds, long bytes, long anonymousBytes) {}

  private RssSampler() {}

  /**
   * Samples {@code process} every {@code interval} until it exits or {@code limit} passes,
   * whichever is first; at most {@code limit / interval + 1} samples.
   */
  static List<Sample> sample(ChildJvm process, Duration interval, Duration limit) {
    List<Sample> samples = new ArrayList<>();
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    long deadline = System.nanoTime() + limit.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      String text = read(status);
      OptionalLong rss = field(text, "VmRSS");
      if (rss.isPresent()) {
        samples.add(
            new Sample(
                (System.nanoTime() - process.startedNanos()) / 1e9,
                rss.getAsLong(),
                field(text, "RssAnon").orElse(rss.getAsLong())));
      }
      ChildJvm.pause(interval);
    }
    return samples;
  }

  private static String read(Path status) {
    try {
      return Files.readString(status, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return ""; // the process has just exited
    }
  }

  /**
   * The VmRSS line of a {@code /proc/<pid>/status} text in bytes (the kernel writes it in kB);
   * empty when there is none (a zombie has no VmRSS line).
   */
  static OptionalLong vmRssBytes(String status) {
    return field(status, "VmRSS");
  }

  /** A kB field of a {@code /proc/<pid>/status} text (e.g. RssAnon) in bytes; empty if absent. */
  static OptionalLong field(String status, String name) {
    for (String line : status.split("\n")) {
      if (line.startsWith(name + ":")) {
        String[] fields = line.substring(name.length() + 1).trim().split("\\s+");
        if (fields.length != 2 || !fields[1].equals("kB")) {
          throw new IllegalArgumentException("unexpected " + name + " line: " + line);
        }
        return OptionalLong.of(Long.parseLong(fields[0]) * 1024);
      }
    }
    return OptionalLong.empty();
  }

  static long peak(List<Sample> samples) {
    return samples.stream().mapToLong(Sample::bytes).max().orElseThrow();
  }

  static long peakAnonymous(List<Sample> samples) {
    return samples.stream().mapToLong(Sample::anonymousBytes).max().orElseThrow();
  }
}
