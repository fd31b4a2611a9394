package io.docpipe.lambda;

import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.observe.JsonLogFormatter;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * This execution environment's component: Dagger builds it ({@link LambdaComponent}) from {@code
 * DOCPIPE_*} with the values of the secrets {@code DOCPIPE_SECRETS_FROM} names read at start, and
 * builds it again when one of those secrets has changed (a rotated key), checked once the refresh
 * interval has passed. Lambda runs one invocation at a time per environment, so no invocation is
 * using the component being replaced. Holding it is the one mutable static, as Lambda's model
 * intends.
 */
final class LambdaEnvironment {

  /**
   * Set to {@code true} to run on the embedded index although each execution environment keeps its
   * own under {@code /tmp} and loses it when recycled (tests, demos); without it the function
   * refuses to start on the embedded index.
   */
  static final String ALLOW_EPHEMERAL_INDEX = "DOCPIPE_ALLOW_EPHEMERAL_INDEX";

  private static final System.Logger LOG = System.getLogger(LambdaEnvironment.class.getName());

  private record Current(
      LambdaComponent component, Optional<RuntimeSecrets> secrets, Map<String, String> env) {}

  private static @Nullable Current current;

  private LambdaEnvironment() {}

  /**
   * The component, built on first use (in Lambda's init phase, from a handler's constructor). Not a
   * class initialiser: a configuration error must reach Lambda's init error report as itself, not
   * as an {@link ExceptionInInitializerError} without its message.
   *
   * @throws ConfigException naming every invalid variable, or what to set instead of an embedded
   *     index
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
              null));
      Optional<RuntimeSecrets> secrets =
          RuntimeSecrets.fromEnvironment(env, AwsSecretReader::new, Instant::now);
      Map<String, String> values = secrets.map(RuntimeSecrets::read).orElse(Map.of());
      LambdaComponent component = LambdaComponent.create(configuration(env, values));
      component.executionEnvironment(); // the whole graph, its SnapStart and shutdown hooks
      now = new Current(component, secrets, env);
      current = now;
      return component;
    }
    Optional<Map<String, String>> rotated = now.secrets().flatMap(RuntimeSecrets::changed);
    if (rotated.isPresent()) {
      LOG.log(System.Logger.Level.INFO, "a secret changed: rebuilding the docpipe component");
      LambdaComponent fresh = LambdaComponent.create(configuration(now.env(), rotated.get()));
      fresh.batches(); // built now, not in the middle of the invocation's work
      fresh.http();
      current = new Current(fresh, now.secrets(), now.env());
      now.component().close();
      return fresh;
    }
    return now.component();
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
}
