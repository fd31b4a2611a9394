package io.docpipe.fargate;

import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
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
    FargateSettings settings = null;
    DocpipeConfig config = null;
    List<String> problems = new ArrayList<>();
    try {
      settings = FargateSettings.fromEnvironment(env);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    try {
      Map<String, String> pipeline = new HashMap<>(env);
      pipeline.keySet().removeAll(FargateSettings.VARIABLES);
      config = DocpipeConfig.fromEnvironment(pipeline);
    } catch (ConfigException e) {
      problems.addAll(e.problems());
    }
    if (settings == null || config == null) {
      LOG.log(System.Logger.Level.ERROR, new ConfigException(problems).getMessage());
      flushLogs();
      System.exit(2);
      return;
    }
    FargateService service =
        FargateService.start(
            FargateComponent.create(config, settings),
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

  /** Replaces the root handlers with one writing JSON lines to stderr. */
  static void installJsonLogging(Map<String, String> fields) {
    Logger root = Logger.getLogger("");
    for (Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    ConsoleHandler console = new ConsoleHandler();
    console.setLevel(Level.ALL);
    console.setFormatter(new JsonLogFormatter(fields));
    root.addHandler(console);
  }

  private static void flushLogs() {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      handler.flush();
    }
  }
}
