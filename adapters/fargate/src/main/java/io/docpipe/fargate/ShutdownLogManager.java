package io.docpipe.fargate;

import java.util.logging.LogManager;

/**
 * A {@link LogManager} that keeps its handlers through JVM shutdown, so the SIGTERM drain (which
 * runs in a shutdown hook) is logged: the JDK's own manager resets every handler in a shutdown hook
 * of its own, racing ours. Select it with {@code
 * -Djava.util.logging.manager=io.docpipe.fargate.ShutdownLogManager}; {@link FargateMain} resets it
 * once the drain is done.
 */
public final class ShutdownLogManager extends LogManager {

  private volatile boolean resetAllowed = true;

  public ShutdownLogManager() {}

  /** Called by the JDK's shutdown hook; ignored until {@link #resetForReal()}. */
  @Override
  public void reset() {
    if (resetAllowed) {
      super.reset();
    }
  }

  /** From now on, only {@link #resetForReal()} resets. */
  void keepHandlersThroughShutdown() {
    resetAllowed = false;
  }

  void resetForReal() {
    resetAllowed = true;
    super.reset();
  }
}
