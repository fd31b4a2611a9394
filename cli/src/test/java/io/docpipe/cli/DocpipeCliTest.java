package io.docpipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The `docpipe` command end to end on the embedded defaults (real ONNX model, real Lucene index).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocpipeCliTest {

  @TempDir static Path work;
  static Path samples;
  static Path index;

  record Run(int exit, String out, String err) {}

  static Run docpipe(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new DocpipeCli());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exit = cli.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  @BeforeAll
  static void locate() {
    samples =
        Path.of(System.getProperty("docpipe.samples.dir", "../samples"))
            .toAbsolutePath()
            .normalize();
    assertThat(samples.resolve("security/rotating-api-keys.md")).exists();
    index = work.resolve("index");
  }

  @Test
  @Order(1)
  void ingestingTheSamples_indexesEveryDocument() {
    Run run = docpipe("ingest", "--index", index.toString(), samples.toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("9 documents: 9 indexed, 0 unchanged, 0 failed");
  }

  @Test
  @Order(2)
  void searching_ranksTheObviousAnswerFirst() {
    Run run =
        docpipe("search", "--index", index.toString(), "how do I rotate an API key", "-k", "3");
    assertThat(run.exit()).isZero();
    assertThat(run.out().lines().findFirst().orElseThrow())
        .contains("security/rotating-api-keys.md");
    Run restore =
        docpipe(
            "search",
            "--index",
            index.toString(),
            "I dropped a table by accident, how do I get it back?",
            "-k",
            "1");
    assertThat(restore.out()).contains("operations/database-backups.md");
  }

  @Test
  @Order(2)
  void searchModes_lexicalAndHybridFindAnErrorCodeThatOccursInOneFile() {
    for (String mode : new String[] {"lexical", "hybrid"}) {
      Run run = docpipe("search", "--index", index.toString(), "E4", "--mode", mode, "-k", "3");
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(run.out().lines().findFirst().orElseThrow())
          .as(mode)
          .contains("coffee-machine.txt");
    }
    Run wrong = docpipe("search", "--index", index.toString(), "E4", "--mode", "sparse");
    assertThat(wrong.exit()).isNotZero();
    assertThat(wrong.err()).contains("dense, lexical or hybrid");
  }

  @Test
  @Order(3)
  void ingestingTheSameDirectoryAgain_changesNothingAndEmbedsNothing() {
    String pointsBefore =
        docpipe("stats", "--index", index.toString())
            .out()
            .lines()
            .filter(l -> l.startsWith("points:"))
            .findFirst()
            .orElseThrow();
    Run run = docpipe("ingest", "--index", index.toString(), samples.toString());
    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("9 documents: 0 indexed, 9 unchanged, 0 failed; 0 chunks embedded");
    assertThat(docpipe("stats", "--index", index.toString()).out()).contains(pointsBefore);
  }

  @Test
  @Order(4)
  void filtersAndDeletes_work() {
    Run filtered =
        docpipe(
            "search",
            "--index",
            index.toString(),
            "parental leave",
            "--filter",
            "ext=html",
            "-k",
            "5");
    assertThat(filtered.out()).doesNotContain("vacation-policy.md").contains(".html");
    Run deleted =
        docpipe(
            "delete", "--index", index.toString(), "people/vacation-policy.md", "no-such-doc.md");
    assertThat(deleted.out())
        .contains("deleted     people/vacation-policy.md")
        .contains("not indexed no-such-doc.md");
    assertThat(docpipe("search", "--index", index.toString(), "parental leave", "-k", "9").out())
        .doesNotContain("vacation-policy.md");
  }

  @Test
  @Order(5)
  void badInputs_failAloneWithAReason_andTheRestIsIndexed() throws IOException {
    Path dir = Files.createDirectories(work.resolve("mixed"));
    Files.writeString(
        dir.resolve("good.md"), "# Good\nA perfectly ordinary document about lighthouses.");
    Files.write(dir.resolve("blob.txt"), new byte[] {'P', 'K', 3, 4, 0, 0, 'x'});
    Files.write(dir.resolve("latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xe9});
    Files.write(dir.resolve("empty.md"), new byte[0]);
    Files.write(dir.resolve("photo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
    Run run = docpipe("ingest", "--index", work.resolve("mixed-index").toString(), dir.toString());
    assertThat(run.exit()).isEqualTo(DocpipeCli.SOME_DOCUMENTS_FAILED);
    assertThat(run.out())
        .contains("5 documents: 1 indexed, 0 unchanged, 4 failed")
        .contains("blob.txt: binary")
        .contains("latin1.txt: invalid_encoding (invalid UTF-8 at byte offset 3")
        .contains("empty.md: empty")
        .contains("photo.png: unsupported_media_type");
  }

  @Test
  void aBadSetting_isRefusedNamingTheVariable() {
    Run run = docpipe("search", "--index", "/nonexistent/\u0000bad", "anything");
    assertThat(run.exit()).isEqualTo(DocpipeCli.USAGE);
    assertThat(run.err()).contains("DOCPIPE_INDEX_DIR");
  }

  @Test
  @Order(99)
  void aFileNameWithControlCharacters_isPrintedEscaped_neverRaw() throws IOException {
    Path corpus = Files.createDirectories(work.resolve("control-chars"));
    // U+009B is a one-character CSI: "\u009b2J" clears some terminals. The file is empty, so it
    // fails and its name is printed in the failure line.
    Files.writeString(corpus.resolve("clear\u009b2J.txt"), "");
    Files.writeString(corpus.resolve("fine.txt"), "A note about the coffee machine.");

    Run run =
        docpipe("ingest", "--index", work.resolve("control-index").toString(), corpus.toString());

    assertThat(run.out()).contains("failed  clear\\x9b2J.txt: empty");
    assertThat(run.out() + run.err()).doesNotContain("\u009b");
  }
}
