package io.docpipe.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RatiosTest {

  @Test
  void aRatioMustReachItsGoalAndAnOverheadMustStayBelowIt() {
    assertThat(new Ratios.Entry("x", 2.0, 1.8, false).met()).isTrue();
    assertThat(new Ratios.Entry("x", 0.96, 1.8, false).verdict("")).isEqualTo("missed by 1.88×");
    assertThat(new Ratios.Entry("x", 250, 300, true).met()).isTrue();
    assertThat(new Ratios.Entry("x", 1300.5, 300, true).verdict("ms"))
        .isEqualTo("missed by 1,001 ms");
  }

  @Test
  void survivesTheTripBetweenJvmsAndThePlotShowsOnlyRatios(@TempDir Path dir) throws Exception {
    Ratios ratios = new Ratios();
    ratios.add("gke 2 workers / 1", 1.9, 1.8);
    ratios.addAtMost("lambda overhead ms", 1300, 300);
    ratios.write(dir.resolve("a.ratios"));
    Files.writeString(dir.resolve("b.ratios"), "old\t2.0\t5.0\n"); // the format before at-most

    Ratios read = Ratios.read(dir.resolve("a.ratios"));
    assertThat(read.entries()).isEqualTo(ratios.entries());
    assertThat(read.anyMissed()).isTrue();
    Ratios all = Ratios.readAll(dir, List.of("a", "b"));
    assertThat(all.names()).containsExactly("gke 2 workers / 1", "old");
    assertThat(all.goals()).containsExactly(1.8, 5.0);
  }

  @Test
  void differencesPairRunsInSortedOrder() {
    Samples docpipe = new Samples(List.of(1700.0, 1500.0, 1600.0));
    Samples floor = new Samples(List.of(400.0, 300.0, 350.0));
    assertThat(docpipe.minus(floor).values()).containsExactly(1200.0, 1250.0, 1300.0);
    assertThat(docpipe.minus(floor).median()).isEqualTo(1250.0);
  }
}
