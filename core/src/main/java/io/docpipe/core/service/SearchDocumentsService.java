package io.docpipe.core.service;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.RetrievalMode;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.in.SearchReport;
import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.LexicalQuery;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Ranks chunks by the command's retrieval mode: dense (the query's embedding against the store's
 * vectors), lexical (the store's BM25 over chunk text) or hybrid (both, fused by reciprocal rank in
 * {@link ReciprocalRankFusion}). For one hit per document each side asks for more chunks than
 * wanted and widens the request until it has enough distinct documents or the store has no more;
 * hybrid fuses the two sides' document rankings, so a document counts once per side.
 */
public final class SearchDocumentsService implements SearchDocuments {

  /**
   * Chunks fetched per wanted document on the first try; most documents match with few chunks
   * (SciFact averages 1.9 chunks per document at the default chunking), and the widening loop
   * fetches more when they do not. Exact answers do not depend on it, only how often a side asks
   * twice; approximate ones barely (ADR 0021, addendum 2026-12-06).
   */
  private static final int OVERSAMPLE = 2;

  /** Never ask the store for more than this many chunks in one query. */
  static final int MAX_CANDIDATES = 10_000;

  /**
   * Hybrid fuses at least this many items from each side: an item ranked just outside {@code k} on
   * both sides can rank inside it fused, so each side must look deeper than {@code k}. 30 is the
   * smallest depth measured that keeps SciFact's hybrid nDCG@10 at k = 10 within 0.001 of depth 100
   * (0.72855 exact, 0.72840 HNSW, against 0.72892; 25 gave 0.72738): each side of a default search
   * reads 60 chunks instead of 400 (ADR 0021, addendum 2026-12-06).
   */
  static final int FUSION_DEPTH = 30;

  /**
   * In hybrid mode the lexical side votes only for hits scoring at least this fraction of its best
   * hit. Words that occur in nearly every chunk have an inverse document frequency near 0, so the
   * chunks that match only those tie just above 0 and would get ranks 2, 3, … by tie-break alone;
   * fused, such an arbitrary rank outvotes a true match that the dense side ranks a few places
   * lower (1,000 notes "small file number N": every note matches three of the four words of "small
   * file number 999"). Hits at a tenth of the best lexical score carry no evidence worth a vote;
   * measured on SciFact in ADR 0021.
   */
  static final double LEXICAL_FLOOR = 0.1;

  private final EmbeddingModel model;
  private final VectorStore store;

  public SearchDocumentsService(EmbeddingModel model, VectorStore store) {
    this.model = Objects.requireNonNull(model, "model");
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public SearchReport search(SearchCommand command) {
    List<SearchHit> hits =
        switch (command.mode()) {
          case RetrievalMode.Dense dense -> ranked(command, dense(command), command.k());
          case RetrievalMode.Lexical lexical -> ranked(command, lexical(command), command.k());
          case RetrievalMode.Hybrid hybrid -> hybrid(command, hybrid);
        };
    return new SearchReport(hits);
  }

  private List<SearchHit> hybrid(SearchCommand command, RetrievalMode.Hybrid weights) {
    int depth = Math.max(command.k(), FUSION_DEPTH);
    if (weights.denseWeight() <= 0 || weights.lexicalWeight() <= 0) {
      List<SearchHit> dense =
          weights.denseWeight() > 0 ? ranked(command, dense(command), depth) : List.of();
      List<SearchHit> lexical =
          weights.lexicalWeight() > 0
              ? aboveFloor(ranked(command, lexical(command), depth))
              : List.of();
      return ReciprocalRankFusion.fuse(
          dense, lexical, weights, command.k(), command.onePerDocument());
    }
    // The lexical side needs no embedding, so it runs while the query is embedded: a remote
    // model's round trip, or the first search's cold start (the index's first query beside the
    // embeddings client's first call). Both sides' answers are the same either way.
    FutureTask<List<SearchHit>> lexicalSide =
        new FutureTask<>(() -> aboveFloor(ranked(command, lexical(command), depth)));
    Thread.ofVirtual().name("docpipe-lexical-search").start(lexicalSide);
    List<SearchHit> dense;
    try {
      dense = ranked(command, dense(command), depth);
    } catch (RuntimeException e) {
      lexicalSide.cancel(false);
      throw e;
    }
    return ReciprocalRankFusion.fuse(
        dense, joined(lexicalSide), weights, command.k(), command.onePerDocument());
  }

  /** The side's answer, or its failure as thrown on the caller's thread. */
  private static List<SearchHit> joined(FutureTask<List<SearchHit>> side) {
    try {
      return side.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new VectorStoreException("lexical search failed: " + e.getCause(), false, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      side.cancel(false);
      throw new VectorStoreException("interrupted while searching text", true, e);
    }
  }

  /** The leading hits that score at least {@link #LEXICAL_FLOOR} of the best one. */
  static List<SearchHit> aboveFloor(List<SearchHit> hits) {
    if (hits.isEmpty()) {
      return hits;
    }
    double floor = hits.get(0).score() * LEXICAL_FLOOR;
    int end = 0;
    while (end < hits.size() && hits.get(end).score() >= floor) {
      end++;
    }
    return hits.subList(0, end);
  }

  /** One side of a search: the best {@code candidates} chunks, best first. */
  private interface Side {
    List<SearchHit> top(int candidates);
  }

  private Side dense(SearchCommand command) {
    List<float[]> vectors = model.embedQueries(List.of(command.query()));
    if (vectors.size() != 1 || vectors.get(0).length != store.dimension()) {
      throw new EmbeddingException("embedding model returned no usable vector for the query", true);
    }
    float[] vector = vectors.get(0);
    return candidates ->
        store.search(
            new VectorQuery(
                vector, candidates, command.filter(), command.minScore(), command.exact()));
  }

  private Side lexical(SearchCommand command) {
    return candidates ->
        store.searchText(new LexicalQuery(command.query(), candidates, command.filter()));
  }

  /** The best {@code want} chunks, or the best chunk of each of the best {@code want} documents. */
  private static List<SearchHit> ranked(SearchCommand command, Side side, int want) {
    if (!command.onePerDocument()) {
      return side.top(want);
    }
    int candidates = Math.min(MAX_CANDIDATES, want * OVERSAMPLE);
    while (true) {
      List<SearchHit> hits = side.top(candidates);
      List<SearchHit> best = bestPerDocument(hits, want);
      if (best.size() == want || hits.size() < candidates || candidates == MAX_CANDIDATES) {
        return best;
      }
      candidates = Math.min(MAX_CANDIDATES, candidates * 4);
    }
  }

  /** Hits come best first, so the first hit of each document is its best chunk. */
  static List<SearchHit> bestPerDocument(List<SearchHit> hits, int k) {
    Set<DocumentId> seen = new HashSet<>();
    List<SearchHit> best = new ArrayList<>(k);
    for (SearchHit hit : hits) {
      if (seen.add(hit.documentId())) {
        best.add(hit);
        if (best.size() == k) {
          break;
        }
      }
    }
    return best;
  }
}
