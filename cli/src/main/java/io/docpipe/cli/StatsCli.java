package io.docpipe.cli;

import io.docpipe.core.port.in.IndexDescription;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.wiring.DocpipeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code docpipe stats}: what the index holds and how it was built. */
@Command(name = "stats", description = "Show the index location, size, point count and model.")
final class StatsCli implements Callable<Integer> {

  @Mixin DocpipeCli.IndexOptions options = new DocpipeCli.IndexOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    DocpipeConfig config = options.config();
    try (CliComponent component = CliComponent.create(config, IngestionListener.NONE)) {
      out.println("index:      " + config.indexDir().toAbsolutePath());
      out.println("store:      " + config.vectorStore().name().toLowerCase(java.util.Locale.ROOT));
      IndexDescription index = component.describeIndex().describe();
      out.println("points:     " + index.points());
      out.println("model:      " + index.model() + " (" + index.dimension() + " dimensions)");
      out.println("chunking:   " + config.ingest().chunking());
      out.println("disk:       " + sizeOf(config.indexDir()) / 1024 + " KiB");
    }
    out.flush();
    return 0;
  }

  private static long sizeOf(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
    }
  }
}
