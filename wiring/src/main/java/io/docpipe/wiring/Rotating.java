package io.docpipe.wiring;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A client built from secret values that {@link SecretRotation} may change: each call runs on the
 * client of the current values; when the settings the client is built from change, the next call
 * builds a new one, and the old one is closed once its last call in flight returns. A call refused
 * for its key makes the rotation read the secrets at once, and is sent once more if that gave a new
 * client.
 *
 * @param <T> the client's type
 */
final class Rotating<T> implements AutoCloseable {

  private static final System.Logger LOG = System.getLogger(Rotating.class.getName());

  /** The version of a client built from settings not yet compared with the current ones. */
  private static final long UNCHECKED = Long.MIN_VALUE;

  /** One client, the settings it was built from, and its calls in flight. */
  private static final class Generation<T> {
    final T client;
    final Object settings;
    volatile long version; // written under the Rotating's lock, read by refused calls
    final AtomicInteger inFlight = new AtomicInteger();
    volatile boolean retired;
    final AtomicBoolean closed = new AtomicBoolean();

    Generation(T client, Object settings, long version) {
      this.client = client;
      this.settings = settings;
      this.version = version;
    }

    void closeOnce() {
      if (closed.compareAndSet(false, true) && client instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          LOG.log(System.Logger.Level.WARNING, "closing a replaced client failed", e);
        }
      }
    }
  }

  private final String what;
  private final SecretRotation rotation;
  private final Function<DocpipeConfig, Object> settingsOf;
  private final Function<DocpipeConfig, T> build;
  private final Predicate<Throwable> refused;
  private final List<Generation<T>> draining = new ArrayList<>();
  private Generation<T> current;
  private boolean closed;

  /**
   * Builds the first client from {@code config}; if the service refuses its key (it was rotated
   * since the start read it), reads the secrets again and builds it from the new values.
   *
   * @param what names the client in logs
   * @param settingsOf the part of a configuration the client is built from; a new client is built
   *     only when it changes
   * @param refused whether a failure is the service refusing the client's key
   */
  Rotating(
      String what,
      SecretRotation rotation,
      DocpipeConfig config,
      Function<DocpipeConfig, Object> settingsOf,
      Function<DocpipeConfig, T> build,
      Predicate<Throwable> refused) {
    this.what = what;
    this.rotation = Objects.requireNonNull(rotation, "rotation");
    this.settingsOf = settingsOf;
    this.build = build;
    this.refused = refused;
    long version = rotation.version();
    T first;
    try {
      first = build.apply(config);
      // {@code config} is the start's; another client may have made the rotation read newer
      // values before this one was built (the store opens before the model, ADR 0030). So the
      // first call compares this client's settings with the current ones instead of taking them
      // as the current version's.
      version = UNCHECKED;
    } catch (RuntimeException e) {
      if (!refused.test(e) || !rotation.refreshAfterRefusal(version)) {
        throw e;
      }
      version = rotation.version();
      config = rotation.config();
      first = build.apply(config);
    }
    this.current = new Generation<>(first, settingsOf.apply(config), version);
  }

  /** Runs {@code call} on the current client; once more on a new one if it was refused its key. */
  <R> R call(Function<T, R> call) {
    Generation<T> used = acquire();
    RuntimeException refusal;
    try {
      return call.apply(used.client);
    } catch (RuntimeException e) {
      if (!refused.test(e) || !rotation.refreshAfterRefusal(used.version)) {
        throw e;
      }
      refusal = e;
    } finally {
      release(used);
    }
    Generation<T> next;
    try {
      next = acquire();
    } catch (RuntimeException e) {
      e.addSuppressed(refusal);
      throw e;
    }
    try {
      if (next == used) {
        throw refusal; // another secret changed, not this client's
      }
      LOG.log(System.Logger.Level.INFO, "{0}: a call refused for its key is sent again", what);
      return call.apply(next.client);
    } finally {
      release(next);
    }
  }

  void run(java.util.function.Consumer<T> call) {
    call(
        c -> {
          call.accept(c);
          return Boolean.TRUE;
        });
  }

  /** The current client, for calls that use no key (names, sizes, token counts). */
  synchronized T client() {
    return current.client;
  }

  private synchronized Generation<T> acquire() {
    if (closed) {
      throw new IllegalStateException(what + " is closed");
    }
    long version = rotation.version();
    if (version != current.version) {
      DocpipeConfig config = rotation.config();
      Object settings = settingsOf.apply(config);
      if (settings.equals(current.settings)) {
        current.version = version;
      } else {
        T fresh = build.apply(config); // throws: the old client stays, the next call tries again
        Generation<T> old = current;
        current = new Generation<>(fresh, settings, version);
        LOG.log(
            System.Logger.Level.INFO,
            "{0}: new client for changed secrets; the old one closes after {1} calls in flight",
            what,
            old.inFlight.get());
        retire(old);
      }
    }
    current.inFlight.incrementAndGet();
    return current;
  }

  private void retire(Generation<T> old) {
    old.retired = true;
    draining.add(old);
    draining.removeIf(g -> g.closed.get());
    if (old.inFlight.get() == 0) {
      old.closeOnce();
    }
  }

  private static <T> void release(Generation<T> g) {
    if (g.inFlight.decrementAndGet() == 0 && g.retired) {
      g.closeOnce();
    }
  }

  /** Closes the current client and any replaced one still draining. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    current.retired = true;
    current.closeOnce();
    draining.forEach(Generation::closeOnce);
    draining.clear();
  }
}
