package io.docpipe.archfixture.driving;

import io.docpipe.archfixture.alpha.AlphaStore;

/** Fixture, deliberately broken: a runtime that uses an adapter directly and prints. */
public final class Handler {
  public void handle() {
    System.out.println(new AlphaStore().load());
  }
}
