package io.docpipe.onnx;

import com.sun.management.OperatingSystemMXBean;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Prints embedding throughput (chunks per second, wall and per CPU-second) for batch sizes 1, 8 and
 * 32 on 200 paragraph-sized texts (SciFact abstracts when {@code -Ddocpipe.datasets} points at
 * them; their first three sentences with {@code --short}), next to LangChain4j's in-process model
 * on the same texts, and the tokenizer's speed. Run it by hand; it asserts nothing.
 */
final class ThroughputMain {

  private ThroughputMain() {}

  public static void main(String[] args) throws Exception {
    DjlReference.offline();
    boolean shortTexts = args.length > 0 && args[0].equals("--short");
    List<String> texts =
        shortTexts
            ? paragraphs(200).stream().map(ThroughputMain::firstSentences).toList()
            : paragraphs(200);

    BertTokenizer tokenizer;
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults())) {
      tokenizer = model.tokenizer();
    }
    long tokens = 0;
    for (String text : texts) {
      tokens += Math.min(254, tokenizer.countTokens(text));
    }
    System.out.printf(
        "%d texts, %.0f word pieces on average (capped at 254)%n",
        texts.size(), tokens / (double) texts.size());

    List<String> corpus = paragraphs(5000);
    long chars = corpus.stream().mapToLong(String::length).sum();
    for (int round = 0; round < 3; round++) {
      measure(
          "countTokens, " + corpus.size() + " texts of " + chars / corpus.size() + " chars",
          corpus.size(),
          () -> corpus.forEach(tokenizer::countTokens));
    }

    AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
    List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
    reference.embedAll(segments.subList(0, 16));
    measure("LangChain4j in-process", texts.size(), () -> reference.embedAll(segments));

    for (int batch : new int[] {1, 8, 32}) {
      try (OnnxEmbeddingModel model =
          OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults().withMaxBatchSize(batch))) {
        model.embed(texts.subList(0, 16)); // warm up
        measure("batch " + batch, texts.size(), () -> model.embed(texts));
        if (batch == 32) {
          measure(
              "batch 32, 4 callers at once",
              texts.size(),
              () -> {
                List<Future<List<float[]>>> results = new ArrayList<>();
                try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
                  for (int t = 0; t < 4; t++) {
                    int from = t * texts.size() / 4;
                    int to = (t + 1) * texts.size() / 4;
                    results.add(pool.submit(() -> model.embed(texts.subList(from, to))));
                  }
                  for (Future<List<float[]>> result : results) {
                    result.get();
                  }
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
        }
      }
    }
  }

  private static void measure(String label, int items, Runnable work) {
    long cpu = cpuNanos();
    long wall = System.nanoTime();
    work.run();
    double wallSeconds = (System.nanoTime() - wall) / 1e9;
    double cpuSeconds = (cpuNanos() - cpu) / 1e9;
    System.out.printf(
        "%-45s %8.1f per s (%.2f s), %8.1f per CPU-second%n",
        label + ":", items / wallSeconds, wallSeconds, items / cpuSeconds);
  }

  /** CPU time of this whole process (all threads, native ones included). */
  private static long cpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The first three sentences: a short paragraph. */
  private static String firstSentences(String text) {
    int end = -1;
    for (int n = 0; n < 3; n++) {
      int next = text.indexOf(". ", end + 1);
      if (next < 0) {
        return text;
      }
      end = next;
    }
    return text.substring(0, end + 1);
  }

  private static List<String> paragraphs(int count) {
    Optional<List<String>> scifact = ReferenceTexts.scifactDocuments(count);
    if (scifact.isPresent()) {
      return scifact.get();
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      texts.add(String.join(" ", OnnxEmbeddingModelTest.variedTexts(1, i)));
    }
    return texts;
  }
}
