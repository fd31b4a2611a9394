package io.docpipe.files;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointFormat;
import io.docpipe.core.port.out.CheckpointStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Checkpoints as one small file per shard ({@link CheckpointFormat}) in a directory, replaced
 * atomically (write a temporary file, force it to disk, rename over the old one), so a crash leaves
 * either the old or the new checkpoint, never a torn one. Shards never share a file.
 */
final class FileCheckpointStore implements CheckpointStore {

  private final Path directory;

  FileCheckpointStore(Path directory) {
    this.directory = directory;
  }

  private Path fileOf(ShardSpec shard) {
    return directory.resolve(CheckpointFormat.keyOf(shard) + ".properties");
  }

  @Override
  public Optional<Checkpoint> load(ShardSpec shard) {
    Path file = fileOf(shard);
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read checkpoint " + file, e);
    }
    try {
      return Optional.of(CheckpointFormat.decode(shard, text));
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException("checkpoint " + file + " is corrupt: " + e.getMessage(), e);
    }
  }

  @Override
  public void save(Checkpoint checkpoint) {
    Path file = fileOf(checkpoint.shard());
    try {
      Files.createDirectories(directory);
      Path tmp = Files.createTempFile(directory, ".checkpoint-", ".tmp");
      try {
        Files.writeString(
            tmp,
            CheckpointFormat.encode(checkpoint),
            StandardCharsets.UTF_8,
            StandardOpenOption.WRITE);
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
