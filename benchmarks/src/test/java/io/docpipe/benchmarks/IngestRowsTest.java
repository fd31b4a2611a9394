package io.docpipe.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.onnx.OnnxSettings.Model;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class IngestRowsTest {

  private static IngestBenchmark.Side side(double docsPerSecond, double chunksPerCpuSecond) {
    return new IngestBenchmark.Side(
        new Samples(List.of(docsPerSecond, docsPerSecond * 1.1)),
        new Samples(List.of(docsPerSecond * 2)),
        new Samples(List.of(chunksPerCpuSecond)),
        900);
  }

  @Test
  void quantizedRow_comparesWithTheFp32Baseline_andShowsBothModelsSciFactQuality() {
    IngestBenchmark.Result result =
        new IngestBenchmark.Result(
            100,
            490_000,
            List.of(
                new IngestBenchmark.ModelRuns(Model.ALL_MINILM_L6_V2, "fp32", side(5, 30), 100_000),
                new IngestBenchmark.ModelRuns(
                    Model.ALL_MINILM_L6_V2_Q, "int8", side(10, 60), 100_000),
                new IngestBenchmark.ModelRuns(Model.BGE_SMALL_EN_V15, "bge", side(2, 12), 100_000)),
            side(2.5, 20),
            110_000);
    Ratios ratios = new Ratios();
    StringBuilder rows = new StringBuilder();
    StringBuilder extra = new StringBuilder();

    BenchmarkSuite.ingestRows(result, ratios, rows, extra);

    assertThat(ratios.entries())
        .extracting(Ratios.Entry::name, Ratios.Entry::goal)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ingest docs/s", 2.0),
            org.assertj.core.groups.Tuple.tuple("ingest docs/s, int8 MiniLM", 3.5));
    assertThat(ratios.entries().get(0).median()).isEqualTo(2.0);
    assertThat(ratios.entries().get(1).median()).isEqualTo(4.0);
    List<String> lines = new ArrayList<>(rows.toString().lines().toList());
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .contains("all-MiniLM-L6-v2-q")
        .contains("hybrid 0.70621 (fp32 0.70808, -0.0019)")
        .contains("dense 0.65991 (fp32 0.64861, +0.0113)")
        .contains("measured by docpipe eval, see Retrieval quality")
        .contains("4.00 × (4.00–4.00, n=2); per CPU-s 4.00 ×");
    assertThat(extra.toString())
        .contains(
            "| docpipe `all-minilm-l6-v2-q` | 10.5  (10.0–11.0, n=2) | 20.0  (20.0–20.0, n=1) | 60.0  (60.0–60.0, n=1) | 900 | 100,000 | 20,000 |")
        .contains("| docpipe `bge-small-en-v1.5` |")
        .contains("0.73010 (0.71607)")
        .contains("| LangChain4j all-MiniLM-L6-v2 (fp32) |")
        .contains("| 110,000 | 5,500 | — |")
        .contains("hold 110,000 positions against docpipe's 100,000 (1.100×)")
        .contains("reads 1.818× the positions per CPU-second");
  }

  @Test
  void measure_recordsWallAndCpuRatesOfTheSameRuns_afterUnrecordedWarmups() {
    int[] calls = {0};
    IngestBenchmark.Side side =
        IngestBenchmark.measure(
            10,
            2,
            3,
            () -> {
              calls[0]++;
              long until = System.nanoTime() + 5_000_000; // busy, so CPU time is not zero
              long spin = 0;
              while (System.nanoTime() < until) {
                spin++;
              }
              return spin >= 0 ? 40 : 41;
            });

    assertThat(calls[0]).isEqualTo(5);
    assertThat(side.docsPerSecond().values()).hasSize(3).allMatch(v -> v > 0 && v < 10 / 0.004);
    assertThat(side.chunksPerCpuSecond().values()).hasSize(3).allMatch(v -> v > 0);
    assertThat(side.docsPerCpuSecond().median() * 4)
        .isCloseTo(side.chunksPerCpuSecond().median(), org.assertj.core.data.Offset.offset(1e-6));
    assertThat(side.chunks()).isEqualTo(40);
    assertThatThrownBy(() -> IngestBenchmark.measure(10, 0, 0, () -> 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
