package io.docpipe.lambda;

import java.util.Objects;

/**
 * What a built execution environment keeps beyond its graph: the SnapStart hooks, held here because
 * the CRaC context keeps only weak references to them.
 */
record ExecutionEnvironment(SnapStartHooks snapStart) {

  ExecutionEnvironment {
    Objects.requireNonNull(snapStart, "snapStart");
  }
}
