package io.docpipe.onnx;

import com.sun.management.OperatingSystemMXBean;
import io.docpipe.core.chunking.Chunker;
import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.model.DocumentId;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prints the core {@link Chunker}'s throughput in MB of UTF-8 per CPU-second with
 * all-MiniLM-L6-v2's tokenizer, on the input of the benchmark suite's chunking row: SciFact
 * abstracts ("title\n\ntext") joined by blank lines into documents of about 6,000 chars, 256/32
 * word pieces. Arguments: total MB (default 8), runs (default 7; the first two are warm-up). Run it
 * by hand with {@code -Ddocpipe.datasets}; it asserts nothing.
 */
final class ChunkingThroughputMain {

  private ChunkingThroughputMain() {}

  public static void main(String[] args) {
    long totalChars = (long) ((args.length > 0 ? Double.parseDouble(args[0]) : 8) * 1_000_000);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
    Optional<List<String>> abstracts = ReferenceTexts.scifactDocuments(Integer.MAX_VALUE);
    if (abstracts.isEmpty()) {
      throw new IllegalStateException("SciFact not found: pass -Ddocpipe.datasets=DIR");
    }
    List<String> docs = documents(abstracts.get(), 6_000, totalChars);
    long bytes = 0;
    for (String doc : docs) {
      bytes += doc.getBytes(StandardCharsets.UTF_8).length;
    }
    BertTokenizer tokenizer = OnnxEmbeddingModel.tokenizer(OnnxSettings.Model.ALL_MINILM_L6_V2);
    Chunker chunker =
        new Chunker(new ChunkingPolicy(256, 32, ChunkingPolicy.Mode.SPLIT), tokenizer);
    for (int run = 0; run < runs; run++) {
      long cpu = cpuNanos();
      long chunks = 0;
      for (int i = 0; i < docs.size(); i++) {
        chunks += chunker.chunk(DocumentId.of("d" + i), docs.get(i)).size();
      }
      double seconds = (cpuNanos() - cpu) / 1e9;
      System.out.printf(
          "run %d%s: %d docs, %.2f MB, %d chunks, %.3f CPU-s, %.1f MB/CPU-s%n",
          run,
          run < 2 ? " (warm-up)" : "",
          docs.size(),
          bytes / 1e6,
          chunks,
          seconds,
          bytes / 1e6 / seconds);
    }
  }

  /**
   * As the benchmark suite's {@code TextCorpus.documents}, with the title joined by a blank line.
   */
  private static List<String> documents(List<String> abstracts, int documentChars, long total) {
    List<String> documents = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    long sum = 0;
    int next = 0;
    while (sum < total) {
      String a = abstracts.get(next++ % abstracts.size()).replaceFirst("\n", "\n\n");
      if (!current.isEmpty()) {
        current.append("\n\n");
      }
      current.append(a);
      if (current.length() >= documentChars) {
        sum += current.length();
        documents.add(current.toString());
        current.setLength(0);
      }
    }
    return documents;
  }

  private static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
