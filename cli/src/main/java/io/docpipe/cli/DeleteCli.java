package io.docpipe.cli;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.Printable;
import io.docpipe.core.port.in.DeleteCommand;
import io.docpipe.core.port.in.DeleteReport;
import io.docpipe.core.port.out.IngestionListener;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code docpipe delete <doc-id…>}: remove documents from the index. */
@Command(name = "delete", description = "Remove documents (every chunk) from the index.")
final class DeleteCli implements Callable<Integer> {

  @Mixin DocpipeCli.IndexOptions options = new DocpipeCli.IndexOptions();

  @Parameters(
      arity = "1..*",
      paramLabel = "DOC_ID",
      description = "Document ids as ingest reported them.")
  List<String> ids = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DeleteReport report;
    try (CliComponent component = CliComponent.create(options.config(), IngestionListener.NONE)) {
      report =
          component.delete().delete(new DeleteCommand(ids.stream().map(DocumentId::of).toList()));
    }
    for (DocumentOutcome o : report.outcomes()) {
      switch (o) {
        case DocumentOutcome.Deleted d ->
            out.println(
                (d.existed() ? "deleted     " : "not indexed ") + Printable.of(d.documentId()));
        case DocumentOutcome.Failed f ->
            out.println(
                "failed      " + Printable.of(f.documentId()) + ": " + Printable.of(f.detail()));
        case DocumentOutcome.Indexed i -> throw new IllegalStateException("delete reported " + i);
        case DocumentOutcome.Unchanged u -> throw new IllegalStateException("delete reported " + u);
      }
    }
    out.flush();
    return report.failures().isEmpty() ? 0 : DocpipeCli.SOME_DOCUMENTS_FAILED;
  }
}
