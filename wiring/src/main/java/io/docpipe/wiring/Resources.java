package io.docpipe.wiring;

import java.util.ArrayList;
import java.util.List;

/**
 * The component's closeable adapters (index files, model sessions), closed in the order given.
 * Runtimes close it on shutdown; closing twice is harmless.
 */
public final class Resources implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Resources.class.getName());
  private final List<Object> resources;
  private boolean closed;

  Resources(List<Object> resources) {
    this.resources = new ArrayList<>(resources);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (Object r : resources) {
      if (r instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.log(System.Logger.Level.WARNING, "closing " + r + " failed", e);
        }
      }
    }
  }
}
