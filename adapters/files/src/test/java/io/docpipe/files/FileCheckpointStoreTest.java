package io.docpipe.files;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.testkit.CheckpointStoreContract;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest extends CheckpointStoreContract {

  @TempDir Path dir;

  @Override
  protected CheckpointStore newStore() {
    return LocalFiles.checkpointStore(dir.resolve("checkpoints"));
  }

  @Override
  protected CheckpointStore reopen() {
    return LocalFiles.checkpointStore(dir.resolve("checkpoints"));
  }

  @Test
  void saving_leavesNoTemporaryFilesBehind() throws IOException {
    CheckpointStore store = newStore();
    for (int i = 0; i < 10; i++) {
      store.save(Checkpoint.start(new ShardSpec(0, 1)));
    }
    try (Stream<Path> files = Files.list(dir.resolve("checkpoints"))) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactly("shard-0-of-1.properties");
    }
  }

  @Test
  void aCorruptCheckpoint_failsWithItsFileName() throws IOException {
    Files.createDirectories(dir.resolve("checkpoints"));
    Files.writeString(dir.resolve("checkpoints/shard-0-of-1.properties"), "indexed=lots\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> newStore().load(new ShardSpec(0, 1)))
        .hasMessageContaining("shard-0-of-1.properties")
        .hasMessageContaining("corrupt");
  }
}
