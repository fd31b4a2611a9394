package io.docpipe.archfixture.beta;

/** Fixture: one driven adapter's class. */
public final class BetaClient {
  public String fetch() {
    return "beta";
  }
}
