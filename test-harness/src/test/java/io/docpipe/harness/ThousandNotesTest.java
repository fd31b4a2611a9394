package io.docpipe.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18's first report, in every runtime with the default model: 1,000 notes {@code small file
 * number 0 … 999}; searching {@code small file number N} (the default, hybrid) must return note N
 * first, for every N, in Lambda, Fargate and GKE alike. Dense retrieval alone ranked 900, 930, 989
 * above 999; an identifier is a word, and only the lexical side sees it.
 */
class ThousandNotesTest {

  private static final int NOTES = 1_000;

  @Test
  void smallFileNumberN_findsNoteNFirst_forEveryN_inEveryRuntime(@TempDir Path dir)
      throws Exception {
    Path corpus = Files.createDirectories(dir.resolve("notes"));
    List<String> queries = new ArrayList<>(NOTES);
    for (int n = 0; n < NOTES; n++) {
      Files.writeString(corpus.resolve(note(n)), "small file number " + n);
      queries.add("small file number " + n);
    }
    List<Corpus.Entry> entries = Corpus.entries(corpus);
    CrossRuntimeRun run =
        new CrossRuntimeRun(corpus, entries, Set.of(), 2, queries, Map.of(), Optional.empty());
    Runtimes runtimes =
        new Runtimes(HarnessCli.runtimeClasspath(), HarnessCli.budget(entries.size()));

    CrossRuntimeRun.Outcome outcome = run.run(runtimes, dir.resolve("work"), line -> {});

    assertThat(outcome.runtimes()).hasSize(3);
    for (CrossRuntimeRun.RuntimeResult result : outcome.runtimes()) {
      RuntimeIndex index = result.index();
      assertThat(index.documentCount()).as(index.runtime()).isEqualTo(NOTES);
      List<String> wrong = new ArrayList<>();
      for (int n = 0; n < NOTES; n++) {
        List<RuntimeIndex.RankedHit> hits = index.answers().get("small file number " + n);
        String first = hits == null || hits.isEmpty() ? "nothing" : hits.get(0).documentId();
        if (!first.equals(note(n))) {
          wrong.add(n + " -> " + first);
        }
      }
      assertThat(wrong)
          .as("%s: queries whose first hit is not their note", index.runtime())
          .isEmpty();
    }
    assertThat(outcome.firstDifference()).as("the runtimes' answers").isEmpty();
  }

  private static String note(int n) {
    return "f%05d.txt".formatted(n);
  }
}
