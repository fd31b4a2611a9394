package io.docpipe.core.model;

import java.util.Comparator;
import java.util.Objects;

/** One search result: the chunk that matched and its cosine similarity to the query. */
public record SearchHit(PointId id, double score, PointPayload payload) {

  /**
   * The order every vector store answers in: highest score first, equal scores by point id, so an
   * answer never depends on a store's internal order.
   */
  public static final Comparator<SearchHit> BEST_FIRST =
      Comparator.comparingDouble(SearchHit::score).reversed().thenComparing(h -> h.id().toString());

  public SearchHit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(payload, "payload");
    if (Double.isNaN(score)) {
      throw new IllegalArgumentException("score is NaN");
    }
  }

  public DocumentId documentId() {
    return payload.documentId();
  }

  /**
   * The matched chunk's text, cut to at most {@code maxChars} chars (never inside a surrogate
   * pair): a bounded snippet for answers with a size limit (Lambda's 6 MB, a gRPC message).
   */
  public String snippet(int maxChars) {
    if (maxChars < 0) {
      throw new IllegalArgumentException("maxChars must be >= 0: " + maxChars);
    }
    String text = payload.text();
    if (text.length() <= maxChars) {
      return text;
    }
    int end = maxChars;
    if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end);
  }
}
