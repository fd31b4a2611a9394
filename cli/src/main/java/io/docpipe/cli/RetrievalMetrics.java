package io.docpipe.cli;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ranking metrics as pytrec_eval (and so BEIR and MTEB) computes them: nDCG@k with the graded gains
 * of the judgments and a log2 discount, the ideal ranking taken from all judgments; recall@k as the
 * share of relevant documents found in the first k.
 */
final class RetrievalMetrics {

  private RetrievalMetrics() {}

  static double ndcgAt(int k, List<String> ranked, Map<String, Integer> relevant) {
    double dcg = 0;
    for (int i = 0; i < Math.min(k, ranked.size()); i++) {
      int gain = relevant.getOrDefault(ranked.get(i), 0);
      dcg += gain / log2(i + 2);
    }
    List<Integer> ideal = relevant.values().stream().sorted((a, b) -> b - a).toList();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.size()); i++) {
      idcg += ideal.get(i) / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  static double recallAt(int k, List<String> ranked, Map<String, Integer> relevant) {
    if (relevant.isEmpty()) {
      return 0;
    }
    Set<String> top = new HashSet<>(ranked.subList(0, Math.min(k, ranked.size())));
    long found = relevant.keySet().stream().filter(top::contains).count();
    return (double) found / relevant.size();
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
