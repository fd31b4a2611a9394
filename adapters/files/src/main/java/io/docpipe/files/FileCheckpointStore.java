package io.docpipe.files;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Properties;

/**
 * Checkpoints as one small properties file per shard in a directory, replaced atomically (write a
 * temporary file, force it to disk, rename over the old one), so a crash leaves either the old or
 * the new checkpoint, never a torn one. Shards never share a file.
 */
final class FileCheckpointStore implements CheckpointStore {

  private final Path directory;

  FileCheckpointStore(Path directory) {
    this.directory = directory;
  }

  private Path fileOf(ShardSpec shard) {
    return directory.resolve("shard-" + shard.index() + "-of-" + shard.count() + ".properties");
  }

  @Override
  public Optional<Checkpoint> load(ShardSpec shard) {
    Path file = fileOf(shard);
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file, e);
    }
    try {
      String last = p.getProperty("lastCompleted");
      return Optional.of(
          new Checkpoint(
              shard,
              last == null ? null : DocumentId.of(last),
              new ShardProgress(
                  Long.parseLong(p.getProperty("indexed", "0")),
                  Long.parseLong(p.getProperty("unchanged", "0")),
                  Long.parseLong(p.getProperty("failed", "0"))),
              Boolean.parseBoolean(p.getProperty("complete", "false"))));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("checkpoint " + file + " is corrupt: " + e.getMessage(), e);
    }
  }

  @Override
  public void save(Checkpoint checkpoint) {
    Properties p = new Properties();
    if (checkpoint.lastCompleted() != null) {
      p.setProperty("lastCompleted", checkpoint.lastCompleted().value());
    }
    p.setProperty("indexed", Long.toString(checkpoint.progress().indexed()));
    p.setProperty("unchanged", Long.toString(checkpoint.progress().unchanged()));
    p.setProperty("failed", Long.toString(checkpoint.progress().failed()));
    p.setProperty("complete", Boolean.toString(checkpoint.complete()));
    Path file = fileOf(checkpoint.shard());
    try {
      Files.createDirectories(directory);
      Path tmp = Files.createTempFile(directory, ".checkpoint-", ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(tmp, StandardOpenOption.WRITE)) {
          p.store(out, null);
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
          channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + file, e);
    }
  }
}
