package io.docpipe.benchmarks;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import io.docpipe.core.port.out.EmbeddingModel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Embedding throughput by batch size: the onnx adapter against LangChain4j's in-process
 * all-MiniLM-L6-v2, same model weights, same chunks, counted per CPU-second so that thread pools of
 * different sizes compare fairly.
 */
final class EmbeddingBenchmark {

  record Point(int batchSize, Samples docpipe, Samples baseline) {}

  private EmbeddingBenchmark() {}

  static List<Point> run(
      List<String> chunks,
      List<Integer> batchSizes,
      EmbeddingModel docpipe,
      AllMiniLmL6V2EmbeddingModel baseline,
      int warmups,
      int runs) {
    List<TextSegment> segments = chunks.stream().map(TextSegment::from).toList();
    List<Point> points = new ArrayList<>();
    for (int batchSize : batchSizes) {
      Samples ours =
          Samples.perCpuSecond(
              warmups,
              runs,
              () -> {
                batches(chunks, batchSize).forEach(docpipe::embed);
                return chunks.size();
              });
      Samples theirs =
          Samples.perCpuSecond(
              warmups,
              runs,
              () -> {
                batches(segments, batchSize).forEach(baseline::embedAll);
                return chunks.size();
              });
      points.add(new Point(batchSize, ours, theirs));
    }
    return points;
  }

  static <T> List<List<T>> batches(List<T> items, int size) {
    List<List<T>> batches = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      batches.add(items.subList(i, Math.min(items.size(), i + size)));
    }
    return batches;
  }

  static Map<Integer, Double> medians(List<Point> points, boolean docpipe) {
    Map<Integer, Double> medians = new LinkedHashMap<>();
    for (Point p : points) {
      medians.put(p.batchSize(), (docpipe ? p.docpipe() : p.baseline()).median());
    }
    return medians;
  }
}
