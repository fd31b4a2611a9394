package io.docpipe.archfixture.shared;

import io.docpipe.archfixture.beta.BetaClient;

/** Fixture: a shared library that wrongly reaches into a driven adapter. */
public final class SharedSchema {
  public String describe() {
    return new BetaClient().fetch();
  }
}
