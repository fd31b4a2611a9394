package io.docpipe.lucene;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The best {@code k} scored documents seen so far, plus every document tied with the k-th score:
 * the final order breaks ties by point id, which is only known once the documents are loaded.
 */
final class TopCandidates {

  /** A document (index-wide doc id) and its cosine similarity to the query. */
  record Candidate(int doc, float score) {}

  static final Comparator<Candidate> BEST_FIRST =
      Comparator.comparingDouble(Candidate::score).reversed();

  private final int k;
  private final float minScore;
  private final PriorityQueue<Candidate> heap; // worst first
  private float threshold;

  /** Keeps up to {@code k} candidates (more on ties) scoring at least {@code minScore}. */
  TopCandidates(int k, float minScore) {
    this.k = k;
    this.minScore = minScore;
    this.heap =
        new PriorityQueue<>(Math.min(k, 1024) + 1, Comparator.comparingDouble(Candidate::score));
    this.threshold = minScore;
  }

  /** The score a document needs to be kept; callers may skip anything lower without offering. */
  float threshold() {
    return threshold;
  }

  void offer(int doc, float score) {
    if (!(score >= threshold)) {
      return;
    }
    heap.add(new Candidate(doc, score));
    if (heap.size() < k) {
      return;
    }
    if (heap.size() > k) {
      // Fewer than k candidates scored above the worst before this one; if this one makes k, the
      // whole group at the worst score falls out.
      float worst = heap.element().score();
      if (score > worst) {
        List<Candidate> worstGroup = new ArrayList<>();
        while (heap.element().score() == worst) {
          worstGroup.add(heap.remove());
        }
        if (heap.size() < k) {
          heap.addAll(worstGroup);
        }
      }
    }
    threshold = Math.max(minScore, heap.element().score());
  }

  /** The kept candidates, best first; more than {@code k} only when scores tie at the cut. */
  List<Candidate> bestFirst() {
    List<Candidate> all = new ArrayList<>(heap);
    all.sort(BEST_FIRST);
    return all;
  }
}
