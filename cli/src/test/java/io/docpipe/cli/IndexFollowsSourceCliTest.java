package io.docpipe.cli;

import static io.docpipe.cli.DocpipeCliTest.docpipe;
import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.cli.DocpipeCliTest.Run;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.docpipe.testkit.ChildJvms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code docpipe ingest DIR} makes the index follow the directory (ADR 0017): documents of DIR
 * whose files are gone are removed, {@code --no-prune} keeps them, documents of other directories
 * are never touched, and a file that now fails for good loses its old version.
 */
class IndexFollowsSourceCliTest {

  @TempDir Path work;

  private Run ingest(String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "ingest";
    all[1] = "--index";
    all[2] = work.resolve("index").toString();
    System.arraycopy(args, 0, all, 3, args.length);
    return docpipe(all);
  }

  private String search(String query) {
    return docpipe("search", "--index", work.resolve("index").toString(), query, "-k", "10").out();
  }

  @Test
  void reIngestingADirectory_removesDocumentsWhoseFilesAreGone_unlessNoPrune() throws Exception {
    Path docs = Files.createDirectories(work.resolve("docs"));
    Path other = Files.createDirectories(work.resolve("other"));
    Files.writeString(docs.resolve("keep.md"), "Penguins huddle together to stay warm.");
    Files.writeString(docs.resolve("gone.md"), "Lighthouses guide ships along rocky coasts.");
    Files.writeString(docs.resolve("old-name.md"), "Otters hold hands while they sleep.");
    Files.createDirectories(docs.resolve("sub"));
    Files.writeString(docs.resolve("sub/bees.md"), "Bees dance to show where flowers are.");
    Files.writeString(other.resolve("elsewhere.md"), "Glaciers carve valleys over millennia.");
    assertThat(ingest(docs.toString(), other.toString()).exit()).isZero();
    // docs/sub on its own too: its file is then also document "bees.md", which is not docs'.
    assertThat(ingest(docs.resolve("sub").toString()).exit()).isZero();

    Files.delete(docs.resolve("gone.md"));
    Files.move(docs.resolve("old-name.md"), docs.resolve("new-name.md"));

    Run kept = ingest("--no-prune", docs.toString());
    assertThat(kept.exit()).as(kept.err()).isZero();
    assertThat(kept.out()).doesNotContain("removed");
    assertThat(search("lighthouses ships coast")).contains("gone.md");

    Run pruned = ingest(docs.toString());
    assertThat(pruned.exit()).as(pruned.err()).isZero();
    assertThat(pruned.out()).contains("2 removed (file gone)");
    String hits = search("lighthouses penguins otters bees glaciers");
    assertThat(hits)
        .doesNotContain("gone.md")
        .doesNotContain("old-name.md")
        .contains("keep.md")
        .contains("new-name.md")
        .contains("sub/bees.md")
        .contains("elsewhere.md");
    assertThat(hits.lines().filter(l -> l.contains("bees.md")).count())
        .as("docs/sub's own document stays")
        .isEqualTo(2);
  }

  @Test
  void aFileThatBecomesEmpty_losesItsOldVersion() throws Exception {
    Path docs = Files.createDirectories(work.resolve("docs"));
    Files.writeString(docs.resolve("notes.md"), "Volcanic ash makes soil fertile for vineyards.");
    assertThat(ingest(docs.toString()).exit()).isZero();
    assertThat(search("volcanic soil vineyards")).contains("notes.md");

    Files.writeString(docs.resolve("notes.md"), "");
    Run run = ingest(docs.toString());

    assertThat(run.exit()).isEqualTo(DocpipeCli.SOME_DOCUMENTS_FAILED);
    assertThat(run.out()).contains("notes.md: empty").contains("its previous version was removed");
    assertThat(search("volcanic soil vineyards")).doesNotContain("notes.md");
  }

  /** {@code docpipe ingest} in a JVM of its own, configured for Qdrant (the CLI reads env vars). */
  private Run ingestIntoQdrant(QdrantStandIn qdrant, Path directory, String log) throws Exception {
    Path out = work.resolve(log + ".out");
    Path err = work.resolve(log + ".err");
    ProcessBuilder builder =
        ChildJvms.processBuilder(
                ChildJvms.SHORT_LIVED,
                System.getProperty("java.class.path"),
                DocpipeCli.class.getName(),
                List.of("ingest", directory.toString()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().put("DOCPIPE_VECTOR_STORE", "qdrant");
    builder.environment().put("DOCPIPE_QDRANT_HOST", qdrant.host());
    builder.environment().put("DOCPIPE_QDRANT_PORT", Integer.toString(qdrant.port()));
    builder.environment().put("DOCPIPE_QDRANT_COLLECTION", "pruned");
    Process child = builder.start();
    boolean ended = child.waitFor(180, TimeUnit.SECONDS);
    if (!ended) {
      child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    assertThat(ended).as("docpipe ingest ended within 180 s: %s", Files.readString(err)).isTrue();
    return new Run(child.exitValue(), Files.readString(out), Files.readString(err));
  }

  @Test
  void withQdrant_reIngestingADirectory_removesDocumentsWhoseFilesAreGone() throws Exception {
    Path docs = Files.createDirectories(work.resolve("docs"));
    Files.writeString(docs.resolve("keep.md"), "Penguins huddle together to stay warm.");
    Files.writeString(docs.resolve("gone.md"), "Lighthouses guide ships along rocky coasts.");
    try (QdrantStandIn qdrant = QdrantStandIn.start()) {
      Run first = ingestIntoQdrant(qdrant, docs, "first");
      assertThat(first.exit()).as(first.err()).isZero();
      assertThat(first.out()).contains("2 indexed");

      Files.delete(docs.resolve("gone.md"));
      Run second = ingestIntoQdrant(qdrant, docs, "second");

      assertThat(second.exit()).as(second.err()).isZero();
      assertThat(second.out()).contains("1 removed (file gone)");
      assertThat(second.err()).doesNotContain("not pruning");
      assertThat(
              qdrant.points("pruned").values().stream()
                  .map(payload -> payload.get("doc_id").getStringValue())
                  .distinct())
          .containsExactly("keep.md");
    }
  }
}
