package io.docpipe.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JfrSummaryTest {

  @Test
  void theBusyDocpipeMethodIsOnTopOfARealRecording(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("busy.jfr");
    try (Recording recording = new Recording()) {
      recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10));
      recording.start();
      long deadline = System.nanoTime() + Duration.ofMillis(1500).toNanos();
      double sink = 0;
      while (System.nanoTime() < deadline) {
        sink += spin(100_000);
      }
      recording.stop();
      recording.dump(file);
      assertThat(sink).isNotNaN();
    }

    JfrSummary summary = JfrSummary.read(file, 5);

    assertThat(summary.javaSamples()).isGreaterThan(10);
    assertThat(summary.topDocpipeFrames()).isNotEmpty();
    assertThat(summary.topDocpipeFrames().getFirst().frame())
        .isEqualTo(JfrSummaryTest.class.getName() + ".spin");
    assertThat(summary.markdown("busy loop"))
        .contains("**Profile: busy loop**")
        .contains("`io.docpipe.benchmarks.JfrSummaryTest.spin`");
  }

  @Test
  void anEmptyRecordingIsReportedNotThrown(@TempDir Path dir) throws Exception {
    Path empty = java.nio.file.Files.createFile(dir.resolve("empty.jfr"));
    assertThat(JfrSummary.markdownOrReason(empty, 5, "worker"))
        .startsWith("**Profile: worker**: no usable recording")
        .contains("0 bytes");
  }

  @Test
  void topCountsAreOrderedByCountThenName() {
    var top = JfrSummary.top(Map.of("b.B.m", 5L, "a.A.m", 5L, "c.C.m", 9L, "d.D.m", 1L), 3);
    assertThat(top).extracting(JfrSummary.Count::frame).containsExactly("c.C.m", "a.A.m", "b.B.m");
  }

  private static double spin(int n) {
    double x = 0;
    for (int i = 1; i <= n; i++) {
      x += Math.sqrt(i) / i;
    }
    return x;
  }
}
