package io.docpipe.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's commands, for tests that run a real tool and skip with one line without it. */
public final class Commands {

  private Commands() {}

  /** Whether an executable {@code command} is on this process's {@code PATH}. */
  public static boolean onPath(String command) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
