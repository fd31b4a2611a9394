package io.docpipe.archfixture.runtime;

import io.docpipe.core.port.out.VectorStore;

/**
 * Fixture, deliberately broken: a runtime that counts points on the store instead of a use case.
 */
public final class StatsPage {
  public long points(VectorStore store) {
    return store.count();
  }
}
