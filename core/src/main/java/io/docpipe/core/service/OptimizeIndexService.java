package io.docpipe.core.service;

import io.docpipe.core.port.in.OptimizeIndex;
import io.docpipe.core.port.out.VectorStore;
import java.util.Objects;

/** Asks the store to reorganize itself for search. */
public final class OptimizeIndexService implements OptimizeIndex {

  private final VectorStore store;

  public OptimizeIndexService(VectorStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public void optimize() {
    store.optimizeForSearch();
  }
}
