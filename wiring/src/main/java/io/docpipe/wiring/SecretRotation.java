package io.docpipe.wiring;

import io.docpipe.s3.AwsSecretStore;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A process's secret settings, read at run time from the platform's secret store ({@code
 * DOCPIPE_SECRETS_FROM} ARNs, {@code DOCPIPE_SECRETS_DIR} files) at start, again every {@code
 * DOCPIPE_SECRETS_REFRESH}, and again at once when a service refuses a key. A runtime reads its
 * configuration from {@link #environment()} and binds this into its component; {@link
 * DocpipeModule} then builds the embedding model and the vector store so that a changed key gives
 * new clients to new calls while calls in flight finish on the old ones, and a call refused with
 * the old key is sent once more with the new one. Without either variable it holds the environment
 * as it is and never changes.
 */
public final class SecretRotation implements AutoCloseable {

  /**
   * Least time between two reads caused by refused calls, so a wrong key does not flood a store.
   */
  static final Duration REFUSAL_PAUSE = Duration.ofSeconds(1);

  private static final System.Logger LOG = System.getLogger(SecretRotation.class.getName());

  /** The SSM and Secrets Manager clients are optional jars: only the AWS runtimes carry them. */
  private static final String NO_AWS_CLIENTS =
      "this runtime does not carry the AWS secret clients (only the Lambda and Fargate images do);"
          + " mount the secrets as files and name the folder in DOCPIPE_SECRETS_DIR";

  private final @Nullable RuntimeSecrets secrets;
  private final Map<String, String> base;
  private final InstantSource clock;

  /**
   * Held while the store is read (I/O, up to seconds): one read at a time, and a refused call waits
   * for a read in progress instead of starting its own. Client calls never take it: they read
   * {@link #version} and, when it moved, {@link #config()} under this object's own lock, which
   * guards {@code values} and {@code config} and is never held during I/O.
   */
  private final Object reading = new Object();

  private Map<String, String> values;
  private volatile long version;
  private @Nullable DocpipeConfig config;
  private Instant readAt; // guarded by reading
  private Instant refusalReadAt = Instant.MIN; // guarded by reading
  private @Nullable ScheduledExecutorService refresher;

  private SecretRotation(
      @Nullable RuntimeSecrets secrets,
      Map<String, String> base,
      Map<String, String> values,
      InstantSource clock) {
    this.secrets = secrets;
    this.base = Map.copyOf(base);
    this.values = Map.copyOf(values);
    this.clock = clock;
    this.readAt = clock.instant();
  }

  /**
   * Reads the secrets {@code env} names, ARNs with the process's AWS role.
   *
   * @throws ConfigException naming each malformed variable and each secret that cannot be read
   */
  public static SecretRotation fromEnvironment(Map<String, String> env) {
    return fromEnvironment(env, SecretRotation::aws, InstantSource.system());
  }

  /**
   * Reads the secrets {@code env} names, ARNs with {@code arns} (built only if an ARN is named).
   *
   * @throws ConfigException naming each malformed variable and each secret that cannot be read
   */
  public static SecretRotation fromEnvironment(
      Map<String, String> env, Supplier<SecretReader> arns, InstantSource clock) {
    Objects.requireNonNull(env, "env");
    Optional<RuntimeSecrets> secrets = RuntimeSecrets.fromEnvironment(env, arns);
    Map<String, String> values = Map.of();
    if (secrets.isPresent()) {
      try {
        values = secrets.get().read();
      } catch (RuntimeException e) {
        secrets.get().close();
        throw e;
      }
    }
    return new SecretRotation(
        secrets.orElse(null), RuntimeSecrets.withoutOwnVariables(env), values, clock);
  }

  /** No secret read at run time: the environment as it is, never changing (tests, local runs). */
  public static SecretRotation none(Map<String, String> env) {
    return new SecretRotation(null, env, Map.of(), InstantSource.system());
  }

  private static SecretReader aws() {
    AwsSecretStore store;
    try {
      store = AwsSecretStore.withDefaultCredentials();
    } catch (LinkageError e) {
      throw new IllegalStateException(NO_AWS_CLIENTS, e);
    }
    return new SecretReader() {
      @Override
      public String read(String arn) {
        try {
          return store.read(arn);
        } catch (LinkageError e) {
          throw new IllegalStateException(NO_AWS_CLIENTS, e);
        }
      }

      @Override
      public void close() {
        store.close();
      }
    };
  }

  /** Whether any secret is read at run time (otherwise nothing ever changes). */
  public boolean active() {
    return secrets != null;
  }

  /** The names of the settings read at run time. */
  public synchronized Set<String> names() {
    return Set.copyOf(values.keySet());
  }

  /**
   * The process's environment with the secrets' current values in place of their references: what a
   * runtime reads its configuration from.
   */
  public synchronized Map<String, String> environment() {
    Map<String, String> env = new java.util.HashMap<>(base);
    env.putAll(values);
    return Map.copyOf(env);
  }

  /** The longest a rotated value goes unnoticed when no call is refused. */
  public Duration refreshInterval() {
    return secrets == null ? RuntimeSecrets.DEFAULT_REFRESH : secrets.refresh();
  }

  /** Grows by one each time a read finds a changed value. */
  long version() {
    return version;
  }

  /** The configuration for the current values. */
  synchronized DocpipeConfig config() {
    DocpipeConfig c = config;
    if (c == null) {
      c = configFor(environment());
      config = c;
    }
    return c;
  }

  /**
   * The configuration over {@code env}, without warning about variables it does not read: the
   * runtime's own are among them, and the start has warned about any unknown one already.
   */
  private static DocpipeConfig configFor(Map<String, String> env) {
    EnvironmentReader reader = new EnvironmentReader(env);
    env.keySet().forEach(name -> reader.string(name, ""));
    return DocpipeConfig.fromEnvironment(reader);
  }

  /**
   * Reads the secrets again if the refresh interval has passed since the last read (Lambda calls
   * this before each invocation; the long-running runtimes let {@link #refreshingInBackground} do
   * it). A failed read keeps the values in use and is tried again after another interval.
   *
   * @return whether a value changed
   */
  public boolean refreshIfDue() {
    if (secrets == null) {
      return false;
    }
    synchronized (reading) {
      if (clock.instant().isBefore(readAt.plus(secrets.refresh()))) {
        return false;
      }
      return reread("the refresh interval passed");
    }
  }

  /**
   * A call was refused with the values of {@code seenVersion}: whether newer values are there now,
   * read again at once unless another refused call has just done so.
   */
  boolean refreshAfterRefusal(long seenVersion) {
    if (version != seenVersion) {
      return true;
    }
    if (secrets == null) {
      return false;
    }
    synchronized (reading) {
      // A read that finished while this call waited may have brought the new values already.
      if (version != seenVersion) {
        return true;
      }
      Instant now = clock.instant();
      if (now.isBefore(refusalReadAt.plus(REFUSAL_PAUSE))) {
        return false;
      }
      refusalReadAt = now;
      return reread("a call was refused for its key");
    }
  }

  /** Under {@link #reading}; takes this object's lock only to publish what it read. */
  private boolean reread(String why) {
    RuntimeSecrets s = Objects.requireNonNull(secrets, "secrets");
    readAt = clock.instant();
    Map<String, String> fresh;
    DocpipeConfig next;
    try {
      fresh = s.read();
      if (fresh.equals(values)) {
        LOG.log(System.Logger.Level.DEBUG, "secrets read again ({0}): unchanged", why);
        return false;
      }
      if (!fresh.keySet().containsAll(values.keySet())) {
        // A rotation replaces a value; a key that went away is a mistake or a half-written update.
        Set<String> gone = new TreeSet<>(values.keySet());
        gone.removeAll(fresh.keySet());
        throw new ConfigException(List.of("no value any more for " + gone));
      }
      Map<String, String> env = new java.util.HashMap<>(base);
      env.putAll(fresh);
      next = configFor(env);
    } catch (ConfigException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "secrets read again ({0}) but not used, keeping the values read before: {1}",
          why,
          e.getMessage());
      return false;
    }
    Set<String> changed = new TreeSet<>();
    fresh.forEach(
        (name, value) -> {
          if (!value.equals(values.get(name))) {
            changed.add(name);
          }
        });
    synchronized (this) {
      values = fresh;
      config = next;
      version++;
    }
    LOG.log(
        System.Logger.Level.INFO,
        "secrets changed ({0}): {1}; new calls use clients built with the new values",
        why,
        changed);
    return true;
  }

  /**
   * Reads the secrets again every refresh interval on a daemon thread of its own, until closed.
   * Does nothing when no secret is read at run time.
   */
  public synchronized SecretRotation refreshingInBackground() {
    if (secrets == null || refresher != null) {
      return this;
    }
    ScheduledExecutorService s =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("docpipe-secrets-refresh").daemon().factory());
    long period = secrets.refresh().toMillis();
    s.scheduleWithFixedDelay(
        () -> {
          try {
            refreshIfDue();
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "refreshing the secrets failed", e);
          }
        },
        period,
        period,
        TimeUnit.MILLISECONDS);
    refresher = s;
    return this;
  }

  @Override
  public synchronized void close() {
    ScheduledExecutorService s = refresher;
    if (s != null) {
      s.shutdownNow();
      refresher = null;
    }
    if (secrets != null) {
      secrets.close();
    }
  }

  @Override
  public String toString() {
    return "SecretRotation" + (secrets == null ? "[none]" : names());
  }
}
