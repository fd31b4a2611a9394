package io.docpipe.wiring.observe;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Advice a library logs that contradicts a decision of docpipe's runtimes, kept out of their logs,
 * where an operator would act on it.
 */
public final class LibraryAdvisories {

  /**
   * Lucene's advice, whenever it first uses vectors, to add {@code jdk.incubator.vector}: the
   * Lambda and GKE images leave the module out on purpose (ADRs 0030 and 0038; they run C1 only,
   * and Lucene uses the Vector API only with C2), and so does the CLI's launcher (ADR 0020). Held
   * here because java.util.logging keeps loggers only weakly, and a collected logger forgets its
   * level.
   */
  private static final Logger LUCENE_VECTORIZATION =
      Logger.getLogger("org.apache.lucene.internal.vectorization.VectorizationProvider");

  private LibraryAdvisories() {}

  /**
   * Quiets Lucene's advice to add {@code jdk.incubator.vector} when this JVM runs without the
   * module (that logger's other lines are moot then); with the module, whatever Lucene says about
   * it is news and is logged.
   */
  public static void quietVectorModuleAdvice() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      LUCENE_VECTORIZATION.setLevel(Level.SEVERE);
    }
  }
}
