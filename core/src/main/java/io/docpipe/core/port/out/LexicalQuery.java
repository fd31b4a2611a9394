package io.docpipe.core.port.out;

import io.docpipe.core.model.MetadataFilter;
import java.util.Objects;

/**
 * A lexical query: the {@code k} points whose chunk text best matches the words of {@code text}
 * (BM25), among those that match {@code filter}. The store analyses {@code text} the way it
 * analysed the chunks it holds.
 */
public record LexicalQuery(String text, int k, MetadataFilter filter) {

  public LexicalQuery {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(filter, "filter");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1: " + k);
    }
  }
}
