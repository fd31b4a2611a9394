package io.docpipe.architecture;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The logs a build's tests leave: every {@code *.log} under a {@code target/} directory and the
 * captured test output ({@code target/surefire-reports/*-output.txt}, likewise failsafe's).
 */
final class LogScan {

  private LogScan() {}

  /** The log files under {@code root}, in path order. */
  static List<Path> logFiles(Path root) {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(Files::isRegularFile).filter(LogScan::isTestLog).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isTestLog(Path file) {
    String name = file.getFileName().toString();
    String path = file.toString().replace('\\', '/');
    if (!path.contains("/target/")) {
      return false;
    }
    if (name.endsWith(".log")) {
      return true;
    }
    Path parent = file.getParent();
    String dir = parent == null ? "" : parent.getFileName().toString();
    return name.endsWith("-output.txt")
        && (dir.equals("surefire-reports") || dir.equals("failsafe-reports"));
  }

  /** How often {@code needle} occurs in each file that holds it (read as UTF-8, leniently). */
  static Map<Path, Integer> occurrences(List<Path> files, String needle) {
    if (needle.isEmpty()) {
      throw new IllegalArgumentException("empty needle");
    }
    Map<Path, Integer> found = new TreeMap<>();
    for (Path file : files) {
      String text;
      try {
        text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      int count = 0;
      for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
        count++;
      }
      if (count > 0) {
        found.put(file, count);
      }
    }
    return found;
  }
}
