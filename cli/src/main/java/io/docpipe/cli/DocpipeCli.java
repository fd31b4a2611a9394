package io.docpipe.cli;

import io.docpipe.core.model.Printable;
import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.observe.LibraryAdvisories;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code docpipe}: index documents and search them on the embedded defaults. */
@Command(
    name = "docpipe",
    mixinStandardHelpOptions = true,
    version = "docpipe 0.1.0-SNAPSHOT",
    description =
        "Turns documents into a searchable vector index (embedded model and index; no network).",
    subcommands = {
      IngestCli.class,
      SearchCli.class,
      DeleteCli.class,
      StatsCli.class,
      EvalCli.class
    })
public final class DocpipeCli {

  /** Exit code when the command ran but some documents failed. */
  static final int SOME_DOCUMENTS_FAILED = 3;

  /** Exit code for invalid configuration or arguments. */
  static final int USAGE = CommandLine.ExitCode.USAGE;

  /**
   * {@code DOCPIPE_*} variables that are not the pipeline's ({@code DocpipeConfig}): the CLI's own
   * {@code DOCPIPE_LOG_LEVEL}, and those another runtime reads (docs/configuration.md: the GKE
   * worker's, and the Fargate service's {@code DOCPIPE_HTTP_*} and {@code DOCPIPE_API_*}). A shell
   * set up for a worker may run {@code docpipe stats} too; the CLI uses none of them, so it neither
   * passes them on nor lets them be reported as unknown (typos still are).
   */
  static final Set<String> NOT_THE_PIPELINES =
      Set.of(
          "DOCPIPE_LOG_LEVEL",
          "DOCPIPE_CORPUS",
          "DOCPIPE_SHARDS",
          "DOCPIPE_SHARD_BATCH_SIZE",
          "DOCPIPE_MAX_FAILURE_RATIO",
          "DOCPIPE_SHUTDOWN_GRACE_SECONDS",
          "DOCPIPE_ALLOW_EPHEMERAL_INDEX",
          "DOCPIPE_METRICS_PORT",
          "DOCPIPE_METRICS_LINGER_SECONDS");

  static final List<String> NOT_THE_PIPELINES_PREFIXES = List.of("DOCPIPE_HTTP_", "DOCPIPE_API_");

  public static void main(String[] args) {
    quietLogging(System.getenv().getOrDefault("DOCPIPE_LOG_LEVEL", "WARNING"));
    System.exit(run(args));
  }

  /** The CLI prints its own progress; library logs show only warnings unless asked. */
  public static void quietLogging(String level) {
    java.util.logging.Level parsed;
    try {
      parsed = java.util.logging.Level.parse(level.toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      parsed = java.util.logging.Level.WARNING;
    }
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(parsed);
    for (java.util.logging.Handler h : root.getHandlers()) {
      h.setLevel(parsed);
    }
    if (parsed.intValue() >= java.util.logging.Level.INFO.intValue()) {
      // The launcher leaves the module out on purpose (ADR 0020).
      LibraryAdvisories.quietVectorModuleAdvice();
    }
  }

  /** The process environment without the variables that are not the pipeline's. */
  static Map<String, String> pipelineEnvironment(Map<String, String> env) {
    Map<String, String> pipeline = new HashMap<>(env);
    pipeline
        .keySet()
        .removeIf(
            name ->
                NOT_THE_PIPELINES.contains(name)
                    || NOT_THE_PIPELINES_PREFIXES.stream().anyMatch(name::startsWith));
    return pipeline;
  }

  static int run(String... args) {
    CommandLine cli = new CommandLine(new DocpipeCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
            commandLine.getErr().println("docpipe: " + Printable.of(e.getMessage()));
            return USAGE;
          }
          commandLine.getErr().println("docpipe: " + Printable.of(e));
          return CommandLine.ExitCode.SOFTWARE;
        });
    return cli.execute(args);
  }

  /** Options every command shares: where the index is. */
  static final class IndexOptions {
    @Option(
        names = "--index",
        paramLabel = "DIR",
        description = "Index directory (default: $DOCPIPE_INDEX_DIR or ./.docpipe).")
    @Nullable Path index;

    DocpipeConfig config(Map<String, String> overrides) {
      Map<String, String> env = pipelineEnvironment(System.getenv());
      env.putAll(overrides);
      if (index != null) {
        env.put("DOCPIPE_INDEX_DIR", index.toString());
      }
      return DocpipeConfig.fromEnvironment(env);
    }

    DocpipeConfig config() {
      return config(Map.of());
    }
  }
}
