package io.docpipe.core.service;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.in.SearchDocuments;
import io.docpipe.core.port.in.SearchReport;
import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Embeds the query and asks the store for the nearest chunks. For one hit per document it asks for
 * more chunks than {@code k} and widens the request until {@code k} distinct documents are found or
 * the store has no more.
 */
public final class SearchDocumentsService implements SearchDocuments {

  /** Chunks fetched per wanted document on the first try; most documents match with few chunks. */
  private static final int OVERSAMPLE = 4;

  /** Never ask the store for more than this many chunks in one query. */
  static final int MAX_CANDIDATES = 10_000;

  private final EmbeddingModel model;
  private final VectorStore store;

  public SearchDocumentsService(EmbeddingModel model, VectorStore store) {
    this.model = Objects.requireNonNull(model, "model");
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public SearchReport search(SearchCommand command) {
    List<float[]> vectors = model.embed(List.of(command.query()));
    if (vectors.size() != 1 || vectors.get(0).length != store.dimension()) {
      throw new EmbeddingException("embedding model returned no usable vector for the query", true);
    }
    float[] vector = vectors.get(0);
    if (!command.onePerDocument()) {
      return new SearchReport(store.search(query(command, vector, command.k())));
    }
    int candidates = Math.min(MAX_CANDIDATES, command.k() * OVERSAMPLE);
    while (true) {
      List<SearchHit> hits = store.search(query(command, vector, candidates));
      List<SearchHit> best = bestPerDocument(hits, command.k());
      if (best.size() == command.k() || hits.size() < candidates || candidates == MAX_CANDIDATES) {
        return new SearchReport(best);
      }
      candidates = Math.min(MAX_CANDIDATES, candidates * 4);
    }
  }

  private static VectorQuery query(SearchCommand command, float[] vector, int k) {
    return new VectorQuery(vector, k, command.filter(), command.minScore(), command.exact());
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
