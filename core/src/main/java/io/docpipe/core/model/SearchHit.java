package io.docpipe.core.model;

import java.util.Objects;

/** One search result: the chunk that matched and its cosine similarity to the query. */
public record SearchHit(PointId id, double score, PointPayload payload) {
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
}
