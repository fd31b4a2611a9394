package io.docpipe.fargate;

import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.EnvironmentReader;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.observe.JsonLogFormatter;
import io.docpipe.wiring.observe.Tracing;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Starts the service: JSON logs, configuration (all problems in one message, exit 2), the
 * component, the server, and a SIGTERM hook that drains and exits 0 (1 when work was cut short).
 */
public final class FargateMain {

  private static final System.Logger LOG = System.getLogger(FargateMain.class.getName());

  private FargateMain() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    EcsMetadata ecs = EcsMetadata.fromEnvironment(env, Duration.ofSeconds(2));
    installJsonLogging(ecs.fields());
    if (!ecs.problem().isEmpty()) {
      LOG.log(System.Logger.Level.WARNING, ecs.problem());
    }
    FargateSettings settings;
    DocpipeConfig config;
    SecretRotation secrets;
    try {
      // Keys from the secret store (the task role reads DOCPIPE_SECRETS_FROM's ARNs) or a mounted
      // folder (DOCPIPE_SECRETS_DIR), before anything is built: re-read later, see ADR 0025.
      secrets = SecretRotation.fromEnvironment(env);
      EnvironmentReader reader = new EnvironmentReader(secrets.environment());
      settings = FargateSettings.read(reader);
      // Fails with every problem, the service's own included, in one message.
      config = DocpipeConfig.fromEnvironment(reader);
    } catch (ConfigException e) {
      LOG.log(System.Logger.Level.ERROR, e.getMessage());
      flushLogs();
      System.exit(2);
      return;
    }
    settings = java.util.Objects.requireNonNull(settings, "settings");
    FargateService service =
        FargateService.start(
            FargateComponent.create(
                config,
                settings,
                Tracing.fromEnvironment(env, "docpipe-fargate"),
                secrets.refreshingInBackground()),
            task -> Thread.ofPlatform().name("docpipe-warm-up").start(task));
    Duration budget = settings.drainBudget();
    if (LogManager.getLogManager() instanceof ShutdownLogManager manager) {
      manager.keepHandlersThroughShutdown();
    }
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .name("docpipe-drain")
                .unstarted(
                    () -> {
                      boolean clean = service.drain(budget);
                      flushLogs();
                      if (LogManager.getLogManager() instanceof ShutdownLogManager manager) {
                        manager.resetForReal();
                      }
                      // SIGTERM would make the JVM exit 143; a clean drain is a clean stop.
                      Runtime.getRuntime().halt(clean ? 0 : 1);
                    }));
    service.awaitStopped();
  }

  /** Replaces the root handlers with one writing JSON lines, with request ids, to stderr. */
  static void installJsonLogging(Map<String, String> fields) {
    JsonLogFormatter.install(
        new JsonLogFormatter(
            JsonLogFormatter.Platform.AWS, fields, null, RequestContext::requestId));
  }

  private static void flushLogs() {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      handler.flush();
    }
  }
}
