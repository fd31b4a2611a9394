package io.docpipe.core.model;

/**
 * Asked between documents whether a run must stop taking new work (a Lambda deadline, SIGTERM). The
 * document in flight is always finished.
 */
@FunctionalInterface
public interface StopSignal {

  StopSignal NEVER = () -> false;

  boolean stopRequested();
}
