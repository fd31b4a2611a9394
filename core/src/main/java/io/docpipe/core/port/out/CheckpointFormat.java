package io.docpipe.core.port.out;

import io.docpipe.core.model.Checkpoint;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.ShardSpec;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The one stored form of a {@link Checkpoint}, shared by every {@link CheckpointStore} (a file per
 * shard, a ConfigMap key per shard) so a checkpoint reads the same wherever it was written: Java
 * properties ({@code lastCompleted}, {@code indexed}, {@code unchanged}, {@code failed}, {@code
 * complete}), sorted, without the date comment, so an unchanged checkpoint is unchanged text.
 */
public final class CheckpointFormat {

  private CheckpointFormat() {}

  /** The name a store keeps a shard's checkpoint under: {@code shard-<index>-of-<count>}. */
  public static String keyOf(ShardSpec shard) {
    return "shard-" + shard.index() + "-of-" + shard.count();
  }

  /** {@code checkpoint} as text. */
  public static String encode(Checkpoint checkpoint) {
    Properties p = new Properties();
    if (checkpoint.lastCompleted() != null) {
      p.setProperty("lastCompleted", checkpoint.lastCompleted().value());
    }
    p.setProperty("indexed", Long.toString(checkpoint.progress().indexed()));
    p.setProperty("unchanged", Long.toString(checkpoint.progress().unchanged()));
    p.setProperty("failed", Long.toString(checkpoint.progress().failed()));
    p.setProperty("complete", Boolean.toString(checkpoint.complete()));
    StringWriter out = new StringWriter();
    try {
      p.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a StringWriter does not fail
    }
    return out.toString()
        .lines()
        .filter(line -> !line.startsWith("#"))
        .sorted()
        .collect(Collectors.joining("\n", "", "\n"));
  }

  /**
   * The checkpoint of {@code shard} that {@code text} holds (also text written with the date
   * comment that earlier versions kept).
   *
   * @throws IllegalArgumentException when {@code text} is not a checkpoint, saying why
   */
  public static Checkpoint decode(ShardSpec shard, String text) {
    Properties p = new Properties();
    try {
      p.load(new StringReader(text));
    } catch (IOException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    String last = p.getProperty("lastCompleted");
    return new Checkpoint(
        shard,
        last == null ? null : DocumentId.of(last),
        new ShardProgress(
            Long.parseLong(p.getProperty("indexed", "0")),
            Long.parseLong(p.getProperty("unchanged", "0")),
            Long.parseLong(p.getProperty("failed", "0"))),
        Boolean.parseBoolean(p.getProperty("complete", "false")));
  }
}
