package io.docpipe.wiring;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * A Kubernetes Secret volume as the kubelet writes it: each key a symbolic link {@code NAME ->
 * ..data/NAME}, {@code ..data} a link to a timestamped folder, swapped in one rename on an update.
 */
final class SecretFolder {

  private final Path dir;
  private int generation;

  SecretFolder(Path dir, Map<String, String> values) throws IOException {
    this.dir = dir;
    Path data = write(values);
    Files.createSymbolicLink(dir.resolve("..data"), data.getFileName());
    for (String name : values.keySet()) {
      Files.createSymbolicLink(dir.resolve(name), Path.of("..data", name));
    }
  }

  Path dir() {
    return dir;
  }

  /** The kubelet's update: a new folder, then {@code ..data} replaced atomically. */
  void rotate(Map<String, String> values) throws IOException {
    Path data = write(values);
    Path link = dir.resolve("..data_tmp");
    Files.createSymbolicLink(link, data.getFileName());
    Files.move(link, dir.resolve("..data"), StandardCopyOption.ATOMIC_MOVE);
  }

  private Path write(Map<String, String> values) throws IOException {
    Path data = Files.createDirectory(dir.resolve("..2026_12_06_" + generation++));
    for (Map.Entry<String, String> e : values.entrySet()) {
      Files.writeString(data.resolve(e.getKey()), e.getValue() + "\n");
    }
    return data;
  }
}
