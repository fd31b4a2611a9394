package io.docpipe.onnx;

import com.sun.management.OperatingSystemMXBean;
import io.docpipe.core.chunking.Chunker;
import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.model.Chunk;
import io.docpipe.core.model.DocumentId;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Prints the onnx adapter's embedding throughput in chunks per CPU-second by caller batch size, on
 * the input of the benchmark suite's embedding row: the first 64 chunks of 128 word pieces (16 of
 * overlap) cut from SciFact abstracts ("title\n\ntext"), embedded with the default settings in
 * calls of 1, 4, 16 and 64 texts. Arguments: runs per size (default 5, after one warm-up), then
 * batch sizes. Run it by hand with {@code -Ddocpipe.datasets}; it asserts nothing.
 */
final class EmbeddingBatchThroughputMain {

  private EmbeddingBatchThroughputMain() {}

  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    List<Integer> sizes = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      sizes.add(Integer.parseInt(args[i]));
    }
    if (sizes.isEmpty()) {
      sizes = List.of(1, 4, 16, 64);
    }
    Optional<List<String>> abstracts = ReferenceTexts.scifactDocuments(200);
    if (abstracts.isEmpty()) {
      throw new IllegalStateException("SciFact not found: pass -Ddocpipe.datasets=DIR");
    }
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults())) {
      Chunker chunker =
          new Chunker(new ChunkingPolicy(128, 16, ChunkingPolicy.Mode.SPLIT), model.tokenCounter());
      List<String> chunks = new ArrayList<>();
      for (String text : abstracts.get()) {
        for (Chunk c : chunker.chunk(DocumentId.of("a"), text.replaceFirst("\n", "\n\n"))) {
          if (chunks.size() < 64) {
            chunks.add(c.text());
          }
        }
      }
      for (int size : sizes) {
        double[] rates = new double[runs];
        for (int run = -1; run < runs; run++) {
          long cpu = cpuNanos();
          for (int i = 0; i < chunks.size(); i += size) {
            model.embed(chunks.subList(i, Math.min(chunks.size(), i + size)));
          }
          double rate = chunks.size() / ((cpuNanos() - cpu) / 1e9);
          if (run >= 0) {
            rates[run] = rate;
          }
        }
        Arrays.sort(rates);
        System.out.printf(
            "batch %d: median %.1f chunks/CPU-s (%.1f-%.1f, n=%d)%n",
            size, rates[runs / 2], rates[0], rates[runs - 1], runs);
      }
    }
  }

  private static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
