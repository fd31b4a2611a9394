package io.docpipe.core.port.in;

import io.docpipe.core.model.MetadataFilter;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A search: the {@code k} best matches for {@code query} among chunks matching {@code filter},
 * ranked by {@code mode} (dense, lexical or hybrid; {@link RetrievalMode#DEFAULT} unless said
 * otherwise). {@code minScore} is a cosine similarity and cuts the dense side only (lexical mode
 * refuses it: BM25 scores have no fixed scale). With {@code onePerDocument} the best chunk of each
 * document stands for it, so {@code k} distinct documents come back. {@code exact} asks the dense
 * side for exhaustive search.
 */
public record SearchCommand(
    String query,
    int k,
    MetadataFilter filter,
    @Nullable Double minScore,
    boolean onePerDocument,
    boolean exact,
    RetrievalMode mode) {

  public static final int MAX_K = 1000;
  public static final int MAX_QUERY_CHARS = 8192;

  public SearchCommand {
    Objects.requireNonNull(query, "query");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(mode, "mode");
    if (query.isBlank()) {
      throw new IllegalArgumentException("query must not be blank");
    }
    if (query.length() > MAX_QUERY_CHARS) {
      throw new IllegalArgumentException("query is longer than " + MAX_QUERY_CHARS + " chars");
    }
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be in [1, " + MAX_K + "]: " + k);
    }
    if (minScore != null && (minScore.isNaN() || minScore < -1 || minScore > 1)) {
      throw new IllegalArgumentException(
          "minScore must be a cosine similarity in [-1, 1]: " + minScore);
    }
    if (minScore != null && mode instanceof RetrievalMode.Lexical) {
      throw new IllegalArgumentException(
          "minScore is a cosine similarity and applies to dense retrieval; lexical mode has none");
    }
  }

  /** A search in the {@link RetrievalMode#DEFAULT} mode. */
  public SearchCommand(
      String query,
      int k,
      MetadataFilter filter,
      @Nullable Double minScore,
      boolean onePerDocument,
      boolean exact) {
    this(query, k, filter, minScore, onePerDocument, exact, RetrievalMode.DEFAULT);
  }

  /** The {@code k} best documents for {@code query}, no filter, approximate search. */
  public static SearchCommand of(String query, int k) {
    return new SearchCommand(query, k, MetadataFilter.none(), null, true, false);
  }

  public SearchCommand withFilter(MetadataFilter newFilter) {
    return new SearchCommand(query, k, newFilter, minScore, onePerDocument, exact, mode);
  }

  public SearchCommand withMinScore(@Nullable Double newMinScore) {
    return new SearchCommand(query, k, filter, newMinScore, onePerDocument, exact, mode);
  }

  public SearchCommand withMode(RetrievalMode newMode) {
    return new SearchCommand(query, k, filter, minScore, onePerDocument, exact, newMode);
  }

  public SearchCommand perChunk() {
    return new SearchCommand(query, k, filter, minScore, false, exact, mode);
  }

  public SearchCommand exactSearch() {
    return new SearchCommand(query, k, filter, minScore, onePerDocument, true, mode);
  }
}
