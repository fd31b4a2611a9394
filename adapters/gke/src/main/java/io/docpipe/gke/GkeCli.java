package io.docpipe.gke;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code docpipe gke}: the shard worker, and the commands that submit and watch indexing Jobs. */
@Command(
    name = "docpipe gke",
    mixinStandardHelpOptions = true,
    version = "docpipe-gke 0.1.0-SNAPSHOT",
    description = "Sharded, resumable indexing on Kubernetes Indexed Jobs and CronJobs.",
    subcommands = {WorkerCommand.class, SubmitCommand.class, StatusCommand.class})
public final class GkeCli {

  private GkeCli() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  static int run(String... args) {
    return commandLine().execute(args);
  }

  /** The command line with its error handling; tests set its output streams. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new GkeCli());
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("docpipe gke: " + e.getMessage());
          return e instanceof IllegalArgumentException
              ? CommandLine.ExitCode.USAGE
              : CommandLine.ExitCode.SOFTWARE;
        });
    return cli;
  }
}
