package io.docpipe.archfixture.alpha;

import io.docpipe.archfixture.beta.BetaClient;

/** Fixture, deliberately broken: a driven adapter that uses another adapter's class. */
public final class AlphaStore {
  public String load() {
    return new BetaClient().fetch();
  }
}
