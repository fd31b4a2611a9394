package io.docpipe.lambda;

import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.observe.JsonLogFormatter;
import io.docpipe.wiring.observe.LibraryAdvisories;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;

/**
 * This execution environment's component: Dagger builds it ({@link LambdaComponent}) from {@code
 * DOCPIPE_*} with the values of the secrets {@code DOCPIPE_SECRETS_FROM} names read at start
 * (wiring's {@link SecretRotation}). Before each invocation the secrets are read again once the
 * refresh interval has passed, and at once when the embeddings API or Qdrant refuses a key; the
 * clients that use a changed key are rebuilt on their next call (ADR 0025). Holding the component
 * is the one mutable static, as Lambda's model intends.
 */
final class LambdaEnvironment {

  /**
   * Set to {@code true} to run on the embedded index although each execution environment keeps its
   * own under {@code /tmp} and loses it when recycled (tests, demos); without it the function
   * refuses to start on the embedded index.
   */
  static final String ALLOW_EPHEMERAL_INDEX = "DOCPIPE_ALLOW_EPHEMERAL_INDEX";

  private record Current(LambdaComponent component, SecretRotation secrets) {}

  private static @Nullable Current current;

  private LambdaEnvironment() {}

  /**
   * The component, built on first use (in Lambda's init phase, from a handler's constructor). Not a
   * class initialiser: a configuration error must reach Lambda's init error report as itself, not
   * as an {@link ExceptionInInitializerError} without its message.
   *
   * @throws ConfigException naming every invalid variable, each secret that cannot be read, or what
   *     to set instead of an embedded index
   */
  static synchronized LambdaComponent component() {
    Current now = current;
    if (now == null) {
      Map<String, String> env = Map.copyOf(System.getenv());
      // JSON lines with the invocation's trace and span ids (the function's log format is Text:
      // CloudWatch keeps each line as written, and Logs Insights reads its fields).
      JsonLogFormatter.install(
          new JsonLogFormatter(
              JsonLogFormatter.Platform.AWS,
              Map.of("function", env.getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "")),
              null,
              () -> null));
      LibraryAdvisories.quietVectorModuleAdvice();
      SecretRotation secrets = SecretRotation.fromEnvironment(env);
      LambdaComponent component =
          LambdaComponent.create(configuration(secrets.environment()), secrets);
      openIndexBesideTheModel(component);
      component.executionEnvironment(); // the whole graph, its SnapStart and shutdown hooks
      current = new Current(component, secrets);
      return component;
    }
    // One invocation at a time per environment: nothing is in flight while this reads.
    now.secrets().refreshIfDue();
    return now.component();
  }

  /**
   * Opens the store on a second thread while this one builds the embedding model (for the
   * embeddings API: its JSON and HTTP stacks; the store needs only settings from it, wiring's
   * {@code DocpipeModule.store}): on two cores the two largest parts of the init overlap. Returns
   * when both are built; a failure of either is thrown as itself, so it stays an init error.
   */
  private static void openIndexBesideTheModel(LambdaComponent component) {
    CompletableFuture<Void> index =
        CompletableFuture.runAsync(
            component::vectorStore, r -> Thread.ofPlatform().name("docpipe-index").start(r));
    try {
      component.embeddingModel();
    } finally {
      try {
        index.join();
      } catch (CompletionException e) {
        Throwable cause = Objects.requireNonNullElse(e.getCause(), e);
        if (cause instanceof RuntimeException runtime) {
          throw runtime;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      }
    }
  }

  /**
   * The configuration of a function from its environment (the secrets' values already in place).
   * Refuses the embedded index unless {@value #ALLOW_EPHEMERAL_INDEX} is {@code true}: each
   * execution environment would index into its own {@code /tmp} and lose it when recycled, while
   * the messages are acknowledged.
   *
   * @throws ConfigException naming what to set
   */
  static DocpipeConfig configuration(Map<String, String> env) {
    Map<String, String> variables = new HashMap<>(env);
    String allow = Objects.requireNonNullElse(variables.remove(ALLOW_EPHEMERAL_INDEX), "").strip();
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
}
