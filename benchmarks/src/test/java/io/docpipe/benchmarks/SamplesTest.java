package io.docpipe.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamplesTest {

  @Test
  void medianAndRangeIgnoreOrder() {
    Samples s = new Samples(List.of(5.0, 1.0, 3.0, 9.0, 7.0));
    assertThat(s.median()).isEqualTo(5.0);
    assertThat(s.min()).isEqualTo(1.0);
    assertThat(s.max()).isEqualTo(9.0);
    assertThat(new Samples(List.of(4.0, 1.0, 3.0, 2.0)).median()).isEqualTo(2.5);
  }

  @Test
  void warmupsAreNotRecorded() {
    int[] calls = {0};
    Samples s = Samples.of(2, 3, () -> ++calls[0]);
    assertThat(calls[0]).isEqualTo(5);
    assertThat(s.values()).containsExactly(3.0, 4.0, 5.0);
  }

  @Test
  void theGeneratedBlockIsReplacedAndTheRestKept(@TempDir Path dir) throws Exception {
    Path doc = dir.resolve("benchmarks.md");
    Files.writeString(doc, "# Benchmarks\n\nhand-written\n");
    BenchmarkSuite.writeBlock(doc, BenchmarkSuite.BEGIN + "\nfirst\n" + BenchmarkSuite.END + "\n");
    Files.writeString(doc, Files.readString(doc) + "\n## later section\n");
    BenchmarkSuite.writeBlock(doc, BenchmarkSuite.BEGIN + "\nsecond\n" + BenchmarkSuite.END + "\n");

    String text = Files.readString(doc);
    assertThat(text).contains("hand-written").contains("second").contains("## later section");
    assertThat(text).doesNotContain("first");
  }
}
