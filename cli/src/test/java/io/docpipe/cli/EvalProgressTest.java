package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code docpipe eval} draws its progress against the dataset's real document count. */
class EvalProgressTest {

  @Test
  void evalProgress_countsAgainstTheCorpusSize_fromTheFirstDocument(@TempDir Path work)
      throws IOException {
    Path beir = Files.createDirectories(work.resolve("tiny"));
    Files.writeString(
        beir.resolve("corpus.jsonl"),
        """
        {"_id": "d1", "title": "Keys", "text": "Rotate an API key by issuing a new one first."}
        {"_id": "d2", "title": "Backups", "text": "Restore a dropped table from last night's backup."}

        {"_id": "d3", "title": "Tea", "text": "Green tea steeps at 80 degrees for two minutes."}
        """);
    Files.writeString(
        beir.resolve("queries.jsonl"),
        """
        {"_id": "q1", "text": "how do I rotate an API key"}
        {"_id": "q2", "text": "restore a table I dropped"}
        """);
    Files.createDirectories(beir.resolve("qrels"));
    Files.writeString(
        beir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td2\t1\n");
    ByteArrayOutputStream progress = new ByteArrayOutputStream();
    EvalCli eval = new EvalCli();
    eval.progressOut = new PrintStream(progress, true, StandardCharsets.UTF_8);
    eval.progressTerminal = false; // one line per draw, so every drawn state is visible
    CommandLine cli = new CommandLine(eval);
    StringWriter out = new StringWriter();
    cli.setOut(new PrintWriter(out));

    int exit = cli.execute(beir.toString(), "--index", work.resolve("index").toString());

    assertThat(exit).as(out.toString()).isZero();
    assertThat(out.toString()).contains("3 documents").contains("2 queries");
    List<String> lines = progress.toString(StandardCharsets.UTF_8).lines().toList();
    // The first document is drawn at once; before the fix the total followed the count (1/1).
    assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
    assertThat(lines.getFirst()).contains(" 1/3 docs");
    assertThat(lines.getLast()).contains(" 3/3 docs").contains("ETA 0s");
  }

  @Test
  void evalK_belowOne_isRefusedBeforeAnyIngest(@TempDir Path work) {
    EvalCli eval = new EvalCli();
    CommandLine cli = new CommandLine(eval);
    StringWriter err = new StringWriter();
    cli.setErr(new PrintWriter(err));
    Path index = work.resolve("index");

    int exit = cli.execute(work.toString(), "--k", "0", "--index", index.toString());

    assertThat(exit).isNotZero();
    assertThat(err.toString()).contains("--k must be at least 1, got 0");
    assertThat(index).doesNotExist();
  }
}
