package io.docpipe.lambda;

import io.docpipe.api.ApiLimits;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.Corpus;
import io.docpipe.wiring.DocpipeConfig;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What one Lambda execution environment keeps between invocations: the component (model session,
 * index, clients) and the objects the handlers use, all built once. The handlers' public
 * constructors take {@link #get()}, built from the process environment on first use; tests build
 * their own with {@link #create(DocpipeConfig)}.
 */
final class LambdaEnvironment {

  private static final System.Logger LOG = System.getLogger(LambdaEnvironment.class.getName());

  private final LambdaComponent component;
  private final BatchRunner batches;
  private final EventMessages messages;
  private final DocpipeHttpApi http;
  private final SnapStartHooks snapStart;
  private final Optional<RuntimeSecrets> secrets;
  private final Map<String, String> processEnvironment;

  /**
   * Set to {@code true} to run on the embedded index although each execution environment keeps its
   * own under {@code /tmp} and loses it when recycled (tests, demos); without it the function
   * refuses to start on the embedded index.
   */
  static final String ALLOW_EPHEMERAL_INDEX = "DOCPIPE_ALLOW_EPHEMERAL_INDEX";

  /** The one environment of this JVM; the only mutable static, as Lambda's model intends. */
  private static @Nullable LambdaEnvironment instance;

  private LambdaEnvironment(DocpipeConfig config) {
    this(config, Optional.empty(), Map.of());
  }

  private LambdaEnvironment(
      DocpipeConfig config,
      Optional<RuntimeSecrets> secrets,
      Map<String, String> processEnvironment) {
    this.secrets = secrets;
    this.processEnvironment = processEnvironment;
    this.component =
        DaggerLambdaComponent.factory()
            .create(Objects.requireNonNull(config), new LoggingListener());
    IngestDocuments ingest =
        component
            .corpusRun()
            .create(Corpus.forEvents(config, component.documentSources()))
            .ingest();
    this.batches = new BatchRunner(ingest, component.delete());
    this.http =
        new DocpipeHttpApi(ingest, component.search(), component.delete(), ApiLimits.defaults());
    this.messages = new EventMessages(http);
    this.snapStart = new SnapStartHooks(this);
  }

  /**
   * The execution environment's single instance, built from {@code DOCPIPE_*} (and the secrets
   * {@code DOCPIPE_SECRETS_FROM} names) on first use. Not a class initialiser: a configuration
   * error must reach Lambda's init error report as itself, not as an {@link
   * ExceptionInInitializerError} without its message. On later calls, once the secrets' refresh
   * interval has passed, re-reads them and, if one changed (a rotated key), replaces the instance
   * with one built on the new values; Lambda runs one invocation at a time per environment, so none
   * is using the old one.
   *
   * @throws io.docpipe.wiring.ConfigException naming every invalid variable
   */
  static synchronized LambdaEnvironment get() {
    if (instance == null) {
      Map<String, String> env = System.getenv();
      instance =
          start(env, RuntimeSecrets.fromEnvironment(env, AwsSecretReader::new, Instant::now));
      Runtime.getRuntime()
          .addShutdownHook(new Thread(LambdaEnvironment::shutdown, "docpipe-lambda-shutdown"));
    } else {
      LambdaEnvironment current = instance;
      Optional<Map<String, String>> rotated = current.secrets.flatMap(RuntimeSecrets::changed);
      if (rotated.isPresent()) {
        LOG.log(System.Logger.Level.INFO, "a secret changed: rebuilding the docpipe environment");
        instance = build(current.processEnvironment, current.secrets, rotated.get());
        current.component.resources().close();
      }
    }
    return instance;
  }

  /** The handlers' view: builds the instance now (in Lambda's init phase), then {@link #get()}. */
  static Supplier<LambdaEnvironment> process() {
    get();
    return LambdaEnvironment::get;
  }

  private static synchronized void shutdown() {
    if (instance != null) {
      instance.close();
    }
  }

  /** Builds an environment from a process environment, reading its secrets first. */
  static LambdaEnvironment start(Map<String, String> env, Optional<RuntimeSecrets> secrets) {
    Map<String, String> values = secrets.map(RuntimeSecrets::read).orElse(Map.of());
    LambdaEnvironment environment = build(env, secrets, values);
    environment.snapStart.register();
    return environment;
  }

  private static LambdaEnvironment build(
      Map<String, String> env, Optional<RuntimeSecrets> secrets, Map<String, String> values) {
    long start = System.nanoTime();
    LambdaEnvironment environment =
        new LambdaEnvironment(configuration(env, values), secrets, Map.copyOf(env));
    LOG.log(
        System.Logger.Level.INFO,
        "docpipe environment ready in {0} ms",
        (System.nanoTime() - start) / 1_000_000);
    return environment;
  }

  /**
   * The configuration of a function: its environment with the secrets' values in place of their
   * references. Refuses the embedded index unless {@value #ALLOW_EPHEMERAL_INDEX} is {@code true}:
   * each execution environment would index into its own {@code /tmp} and lose it when recycled,
   * while the messages are acknowledged.
   *
   * @throws ConfigException naming what to set
   */
  static DocpipeConfig configuration(Map<String, String> env, Map<String, String> secretValues) {
    Map<String, String> variables = new HashMap<>(RuntimeSecrets.withoutOwnVariables(env));
    String allow = Objects.requireNonNullElse(variables.remove(ALLOW_EPHEMERAL_INDEX), "").strip();
    variables.putAll(secretValues);
    if (!allow.isEmpty() && !allow.equalsIgnoreCase("true") && !allow.equalsIgnoreCase("false")) {
      throw new ConfigException(
          List.of(ALLOW_EPHEMERAL_INDEX + "='" + allow + "' must be true or false"));
    }
    DocpipeConfig config = DocpipeConfig.fromEnvironment(variables);
    if (config.vectorStore() == DocpipeConfig.VectorStoreKind.LUCENE
        && !allow.equalsIgnoreCase("true")) {
      throw new ConfigException(
          List.of(
              "DOCPIPE_VECTOR_STORE is the embedded index (lucene): on Lambda each execution"
                  + " environment indexes into its own "
                  + config.indexDir()
                  + " and loses it when recycled. Set DOCPIPE_VECTOR_STORE=qdrant with the"
                  + " DOCPIPE_QDRANT_* settings, or "
                  + ALLOW_EPHEMERAL_INDEX
                  + "=true if a throwaway index is what you want (tests, demos)."));
    }
    return config;
  }

  /** A new environment (tests; the runtime uses {@link #get()}). */
  static LambdaEnvironment create(DocpipeConfig config) {
    return new LambdaEnvironment(config);
  }

  BatchRunner batches() {
    return batches;
  }

  EventMessages messages() {
    return messages;
  }

  DocpipeHttpApi http() {
    return http;
  }

  LambdaComponent component() {
    return component;
  }

  /** Closes the index, the model session and the secret reader; closing twice is harmless. */
  void close() {
    component.resources().close();
    secrets.ifPresent(RuntimeSecrets::close);
  }
}
