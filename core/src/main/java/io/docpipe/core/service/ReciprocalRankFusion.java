package io.docpipe.core.service;

import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.RetrievalMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reciprocal-rank fusion of a dense and a lexical ranking: an item at rank {@code r} (from 1) on a
 * side scores {@code weight / (K + r)} there, and its fused score is the sum over the sides it is
 * on. Ranks, not scores, are fused because cosine and BM25 have no common scale. Items are
 * documents (one hit per document) or chunks; the hit that stands for an item is its dense hit when
 * it has one (the chunk closest in meaning), else its lexical hit.
 *
 * <p>The order is total, so equal inputs give equal answers on every store and runtime: fused score
 * descending, then the better of the item's two ranks, then the point id of the hit that stands for
 * it.
 */
final class ReciprocalRankFusion {

  private ReciprocalRankFusion() {}

  private static final class Fused {
    final SearchHit hit;
    double score;
    int bestRank;

    Fused(SearchHit hit, double score, int rank) {
      this.hit = hit;
      this.score = score;
      this.bestRank = rank;
    }
  }

  private static final Comparator<Fused> ORDER =
      Comparator.comparingDouble((Fused f) -> f.score)
          .reversed()
          .thenComparingInt(f -> f.bestRank)
          .thenComparing(f -> f.hit.id().toString());

  /**
   * The {@code k} best fused items of two rankings, each best first. With {@code byDocument} an
   * item is a document (each ranking must hold at most one hit per document), else a chunk. Each
   * returned hit carries its fused score.
   */
  static List<SearchHit> fuse(
      List<SearchHit> dense,
      List<SearchHit> lexical,
      RetrievalMode.Hybrid weights,
      int k,
      boolean byDocument) {
    Map<Object, Fused> items = new LinkedHashMap<>();
    add(items, dense, weights.denseWeight(), byDocument);
    add(items, lexical, weights.lexicalWeight(), byDocument);
    List<Fused> ordered = new ArrayList<>(items.values());
    ordered.sort(ORDER);
    List<SearchHit> fused = new ArrayList<>(Math.min(k, ordered.size()));
    for (Fused item : ordered.subList(0, Math.min(k, ordered.size()))) {
      fused.add(new SearchHit(item.hit.id(), item.score, item.hit.payload()));
    }
    return List.copyOf(fused);
  }

  private static void add(
      Map<Object, Fused> items, List<SearchHit> ranking, double weight, boolean byDocument) {
    if (weight == 0) {
      return;
    }
    for (int i = 0; i < ranking.size(); i++) {
      SearchHit hit = ranking.get(i);
      int rank = i + 1;
      double score = weight / (RetrievalMode.Hybrid.K + rank);
      Object key = byDocument ? hit.documentId() : hit.id();
      Fused item = items.get(key);
      if (item == null) {
        items.put(key, new Fused(hit, score, rank));
      } else {
        item.score += score;
        item.bestRank = Math.min(item.bestRank, rank);
      }
    }
  }
}
