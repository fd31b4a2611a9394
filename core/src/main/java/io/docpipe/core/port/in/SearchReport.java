package io.docpipe.core.port.in;

import io.docpipe.core.model.SearchHit;
import java.util.List;

/** The hits of a search, best first. */
public record SearchReport(List<SearchHit> hits) {
  public SearchReport {
    hits = List.copyOf(hits);
  }
}
