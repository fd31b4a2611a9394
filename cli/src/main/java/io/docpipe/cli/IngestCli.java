package io.docpipe.cli;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.DocumentRef;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.Printable;
import io.docpipe.core.port.in.DeleteCommand;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.wiring.Corpus;
import io.docpipe.wiring.CorpusRun;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code docpipe ingest <path|s3://bucket/prefix|https://url …>}: index documents. */
@Command(
    name = "ingest",
    description =
        "Index files and directories (ids are paths relative to each directory given),"
            + " objects under s3://bucket/prefix (ids are keys after the prefix) and https:// URLs.")
final class IngestCli implements Callable<Integer> {

  private static final int BATCH = 256;

  @Mixin DocpipeCli.IndexOptions options = new DocpipeCli.IndexOptions();

  @Parameters(
      arity = "1..*",
      paramLabel = "LOCATION",
      description = "Files, directories, s3://bucket/prefix or https:// URLs to index.")
  List<String> locations = new ArrayList<>();

  @Option(
      names = "--no-prune",
      description =
          "Keep the documents of a directory whose files are gone (by default they are removed"
              + " once the directory has been ingested).")
  boolean noPrune;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    for (String location : locations) {
      if (!location.matches("(?i)(s3|https?)://.*") && !Files.exists(Path.of(location))) {
        throw new IllegalArgumentException("no such file or directory: " + location);
      }
    }
    Progress progress = new Progress(System.err, System.console() != null);
    AtomicBoolean interrupted = new AtomicBoolean();
    Thread main = Thread.currentThread();
    Thread hook =
        new Thread(
            () -> {
              interrupted.set(true);
              try {
                main.join(30_000); // let the batch in flight finish and the index close cleanly
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    Runtime.getRuntime().addShutdownHook(hook);
    List<DocumentOutcome> outcomes = new ArrayList<>();
    long chunks = 0;
    try (CliComponent component = CliComponent.create(options.config(), progress)) {
      for (String location : locations) {
        Corpus corpus = component.documentSources().corpus(location);
        List<DocumentRef> refs;
        try (Stream<DocumentRef> listed = corpus.listing().list(null)) {
          refs = listed.toList();
        }
        CorpusRun run = component.corpusRun().create(corpus);
        progress.start(refs.size());
        for (int from = 0; from < refs.size() && !interrupted.get(); from += BATCH) {
          List<IngestRequest> batch =
              refs.subList(from, Math.min(refs.size(), from + BATCH)).stream()
                  .<IngestRequest>map(IngestRequest.Fetch::new)
                  .toList();
          IngestReport report = run.ingest().ingest(new IngestCommand(batch, interrupted::get));
          outcomes.addAll(report.outcomes());
          chunks += report.chunksEmbedded();
        }
        progress.draw(true);
        Path directory = Path.of(location);
        if (!noPrune && !interrupted.get() && isDirectory(location)) {
          outcomes.addAll(prune(component, directory, refs));
        }
      }
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // already shutting down
      }
    }
    return summarize(out, outcomes, chunks, progress);
  }

  private static boolean isDirectory(String location) {
    return !location.matches("(?i)(s3|https?)://.*") && Files.isDirectory(Path.of(location));
  }

  /**
   * Removes the documents of {@code directory} whose files are gone (ADR 0017). A stored document
   * is of the directory when its source is a {@code file:} URI inside it and its id is that file's
   * path relative to it, the id this command gives it; such a document that the listing just made
   * does not name (deleted, renamed, now hidden, unreadable or not a regular file) is removed.
   * Documents indexed from a parent or a sibling directory, from other sources, or with other ids
   * are never touched.
   */
  private List<DocumentOutcome> prune(
      CliComponent component, Path directory, List<DocumentRef> listed) {
    Path root = directory.toAbsolutePath().normalize();
    Set<DocumentId> present = new HashSet<>();
    listed.forEach(ref -> present.add(ref.id()));
    Map<DocumentId, String> stored;
    try {
      stored = component.describeIndex().documentsBySource(root.toUri().toString());
    } catch (UnsupportedOperationException e) {
      spec.commandLine()
          .getErr()
          .println("docpipe ingest: not pruning " + directory + ": " + e.getMessage());
      return List.of();
    }
    List<DocumentId> gone = new ArrayList<>();
    stored.forEach(
        (id, source) -> {
          if (!present.contains(id) && id.value().equals(relativeId(root, source))) {
            gone.add(id);
          }
        });
    if (gone.isEmpty()) {
      return List.of();
    }
    return component.delete().delete(new DeleteCommand(gone)).outcomes();
  }

  /** The id a file at {@code source} gets under {@code root}, or null when it is not inside. */
  private static @Nullable String relativeId(Path root, String source) {
    Path file;
    try {
      file = Path.of(URI.create(source)).normalize();
    } catch (IllegalArgumentException | FileSystemNotFoundException e) {
      return null;
    }
    if (!file.startsWith(root) || file.equals(root)) {
      return null;
    }
    List<String> names = new ArrayList<>();
    root.relativize(file).forEach(name -> names.add(name.toString()));
    return Normalizer.normalize(String.join("/", names), Normalizer.Form.NFC);
  }

  private static int summarize(
      PrintWriter out, List<DocumentOutcome> outcomes, long chunks, Progress progress) {
    long indexed = outcomes.stream().filter(o -> o instanceof DocumentOutcome.Indexed).count();
    long unchanged = outcomes.stream().filter(o -> o instanceof DocumentOutcome.Unchanged).count();
    long removed = outcomes.stream().filter(o -> o instanceof DocumentOutcome.Deleted).count();
    List<DocumentOutcome.Failed> failed =
        outcomes.stream()
            .filter(o -> o instanceof DocumentOutcome.Failed)
            .map(o -> (DocumentOutcome.Failed) o)
            .toList();
    double seconds = progress.elapsed().toMillis() / 1000.0;
    out.printf(
        Locale.ROOT,
        "%d documents: %d indexed, %d unchanged, %d failed%s; %d chunks embedded in %.1f s%n",
        outcomes.size() - removed,
        indexed,
        unchanged,
        failed.size(),
        removed == 0 ? "" : ", " + removed + " removed (file gone)",
        chunks,
        seconds);
    Map<FailureReason, Integer> byReason = new EnumMap<>(FailureReason.class);
    for (DocumentOutcome.Failed f : failed) {
      byReason.merge(f.reason(), 1, Integer::sum);
      out.printf(
          "  failed  %s: %s (%s)%n",
          Printable.of(f.documentId()),
          f.reason().name().toLowerCase(Locale.ROOT),
          Printable.of(f.detail()));
    }
    out.flush();
    return failed.isEmpty() ? 0 : DocpipeCli.SOME_DOCUMENTS_FAILED;
  }
}
