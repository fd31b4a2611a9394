package io.docpipe.onnx;

import com.sun.management.OperatingSystemMXBean;
import io.docpipe.core.chunking.Chunker;
import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.model.Chunk;
import io.docpipe.core.model.DocumentId;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * Prints embedding throughput (chunks per wall second and per CPU-second) of SciFact chunks of up
 * to 256 word pieces for each combination of intra-op threads and batch size given on the command
 * line, e.g. {@code 2,1 1,2,4,8,16,32}: the measurements the defaults of {@link OnnxSettings} come
 * from. Run it by hand; it asserts nothing.
 */
final class EmbeddingSetupMain {

  private EmbeddingSetupMain() {}

  public static void main(String[] args) {
    List<Integer> threads = ints(args.length > 0 ? args[0] : "2,1");
    List<Integer> batches = ints(args.length > 1 ? args[1] : "1,4,8,16,32");
    int count = args.length > 2 ? Integer.parseInt(args[2]) : 128;
    List<String> docs = ReferenceTexts.scifactDocuments(2_000).orElseThrow();
    List<String> chunks = new ArrayList<>();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults())) {
      Chunker chunker = new Chunker(ChunkingPolicy.defaults(), model.tokenCounter());
      for (String doc : docs) {
        for (Chunk c : chunker.chunk(DocumentId.of("d"), doc)) {
          if (chunks.size() < count) {
            chunks.add(c.text());
          }
        }
      }
    }
    if (System.getProperty("lc4j") != null) {
      compareWithLangChain4j(chunks);
      return;
    }
    for (int t : threads) {
      for (int b : batches) {
        try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(new OnnxSettings(b, t))) {
          model.embed(chunks.subList(0, 16));
          for (int round = 0; round < 2; round++) {
            long cpu = cpuNanos();
            long wall = System.nanoTime();
            model.embed(chunks);
            double wallSeconds = (System.nanoTime() - wall) / 1e9;
            double cpuSeconds = (cpuNanos() - cpu) / 1e9;
            System.out.printf(
                "threads %d batch %3d: %6.1f chunks/s  %6.1f chunks/CPU-s  (load %s)%n",
                t,
                b,
                chunks.size() / wallSeconds,
                chunks.size() / cpuSeconds,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
          }
        }
      }
    }
  }

  /**
   * How many positions LangChain4j's model reads: its vectors of long chunks against ours of the
   * same chunks cut at 128 and at 256 positions.
   */
  private static void compareWithLangChain4j(List<String> chunks) {
    DjlReference.offline();
    var reference =
        new dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults())) {
      int shown = 0;
      for (String chunk : chunks) {
        int tokens = model.countTokens(chunk);
        if (tokens < 200 || shown++ == 8) {
          continue;
        }
        float[] theirs =
            reference
                .embed(dev.langchain4j.data.segment.TextSegment.from(chunk))
                .content()
                .vector();
        float[] at256 =
            model.embedEncoded(new int[][] {model.tokenizer().encode(chunk, 256)}).get(0);
        float[] at128 =
            model.embedEncoded(new int[][] {model.tokenizer().encode(chunk, 128)}).get(0);
        System.out.printf(
            "%d tokens: cosine with ours at 256 positions %.6f, at 128 positions %.6f%n",
            tokens, Vectors.cosine(theirs, at256), Vectors.cosine(theirs, at128));
      }
    }
  }

  private static List<Integer> ints(String csv) {
    List<Integer> values = new ArrayList<>();
    for (String s : csv.split(",")) {
      values.add(Integer.parseInt(s.trim()));
    }
    return values;
  }

  private static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }
}
