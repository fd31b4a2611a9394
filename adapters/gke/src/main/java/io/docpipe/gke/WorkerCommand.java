package io.docpipe.gke;

import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.EnvironmentReader;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.observe.JsonLogFormatter;
import io.docpipe.wiring.observe.LibraryAdvisories;
import io.docpipe.wiring.observe.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code worker}: what an Indexed Job's pod runs. SIGTERM (drain, preemption) asks the run to stop
 * after the document in flight; the checkpoint is saved and the process exits with {@link
 * ExitCode#RETRY} within the grace budget, or with the run's own code if it finished meanwhile.
 */
@Command(
    name = "worker",
    description = "Index one shard of the corpus (an Indexed Job's pod). Settings: environment.")
final class WorkerCommand implements Callable<Integer> {

  @Spec @Nullable CommandSpec spec;

  @Option(
      names = "--outcome-log",
      paramLabel = "FILE",
      description = "Append one line per document outcome to FILE.")
  @Nullable Path outcomeLog;

  @Override
  public Integer call() {
    PrintWriter out = java.util.Objects.requireNonNull(spec, "spec").commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Map<String, String> env = System.getenv();
    WorkerSettings settings;
    WorkerMetrics.Settings metricsSettings;
    DocpipeConfig config;
    SecretRotation secrets;
    try {
      // Keys from a mounted Secret's files (DOCPIPE_SECRETS_DIR; the kubelet updates them after a
      // rotation) or by ARN, read before anything is built and again later (ADR 0025).
      secrets = SecretRotation.fromEnvironment(env);
      EnvironmentReader reader = new EnvironmentReader(secrets.environment());
      settings = WorkerSettings.read(reader);
      metricsSettings = WorkerMetrics.Settings.read(reader);
      // Read here (checked below, once the store is known), so it is no unknown variable.
      reader.string(WorkerSettings.ALLOW_EPHEMERAL_INDEX, "");
      // Fails with every problem, the worker's own included, in one message.
      config = DocpipeConfig.fromEnvironment(reader);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return ExitCode.CONFIGURATION.code;
    }
    settings = java.util.Objects.requireNonNull(settings, "settings");
    List<String> placement =
        WorkerSettings.indexPlacementProblems(
            settings.shard(), config.vectorStore() == DocpipeConfig.VectorStoreKind.LUCENE, env);
    if (!placement.isEmpty()) {
      err.println(new ConfigException(placement).getMessage());
      return ExitCode.CONFIGURATION.code;
    }
    // JSON lines for Cloud Logging, each with the trace of the shard's run.
    JsonLogFormatter.install(
        new JsonLogFormatter(
            JsonLogFormatter.Platform.GOOGLE,
            Map.of("shard", settings.shard().index() + "/" + settings.shard().count()),
            env.get("GOOGLE_CLOUD_PROJECT"),
            () -> null));
    LibraryAdvisories.quietVectorModuleAdvice();
    WorkerMetrics metrics = metrics(metricsSettings, err);
    Tracing tracing = Tracing.fromEnvironment(env, "docpipe-gke-worker");
    // TRACEPARENT (the pod template's docpipe.io/traceparent annotation, through the downward
    // API) makes every shard of a run one trace; empty (no annotation) means none.
    String traceparent = env.getOrDefault("TRACEPARENT", "").strip();
    Span span =
        tracing.startSpan(
            "docpipe.shard",
            SpanKind.CONSUMER,
            Tracing.fromW3c(traceparent.isEmpty() ? Map.of() : Map.of("traceparent", traceparent)));
    span.setAttribute("docpipe.shard.index", settings.shard().index());
    span.setAttribute("docpipe.shard.count", settings.shard().count());
    Scope scope = span.makeCurrent();
    AtomicBoolean exitingNormally = new AtomicBoolean();
    int code;
    try (metrics;
        tracing;
        secrets) {
      ShardWorker worker =
          new ShardWorker(
              settings,
              config,
              outcomeLog == null ? OutcomeLog.NONE : OutcomeLog.appendingTo(outcomeLog),
              metrics.pipeline(),
              tracing,
              secrets.refreshingInBackground());
      code = runUntilDoneOrStopped(worker, settings, out, err, exitingNormally);
      span.setAttribute("docpipe.exit_code", code);
      scope.close();
      span.end();
      // A Job's pod is gone once it exits: give Prometheus the final counts first (not after
      // SIGTERM, whose grace belongs to the checkpoint; the hook halts the JVM then anyway).
      metrics.awaitFinalScrape(metricsSettings.linger());
    }
    // The exit is the shard's own from here: the stop hook no longer halts, so the JVM's other
    // shutdown hooks (a flight recording's dump) finish. A SIGTERM in the microseconds before the
    // exit would end the JVM with 143 instead, which a Job retries into a shard already complete.
    exitingNormally.set(true);
    return code;
  }

  /** Metrics are not worth a shard: when the port cannot be served, index without them. */
  private static WorkerMetrics metrics(WorkerMetrics.Settings settings, PrintWriter err) {
    try {
      return WorkerMetrics.of(settings);
    } catch (java.io.UncheckedIOException e) {
      err.println(
          "docpipe worker: " + e.getMessage() + ": " + e.getCause() + "; running without metrics");
      return WorkerMetrics.unserved();
    }
  }

  private static int runUntilDoneOrStopped(
      ShardWorker worker,
      WorkerSettings settings,
      PrintWriter out,
      PrintWriter err,
      AtomicBoolean exitingNormally) {
    AtomicBoolean stopRequested = new AtomicBoolean();
    AtomicInteger exit = new AtomicInteger(ExitCode.RETRY.code);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              if (exitingNormally.get()) {
                return; // System.exit with the shard's code, not a stop signal
              }
              stopRequested.set(true);
              boolean done;
              try {
                done = finished.await(settings.grace().toMillis(), TimeUnit.MILLISECONDS);
              } catch (InterruptedException e) {
                done = false;
              }
              if (!done) {
                err.println(
                    "docpipe worker: stop took longer than "
                        + settings.grace().toSeconds()
                        + " s; exiting, the shard resumes from its last checkpoint");
              }
              err.flush();
              out.flush();
              // halt, not exit: the JVM is already shutting down, and halt sets the exit code.
              Runtime.getRuntime().halt(done ? exit.get() : ExitCode.RETRY.code);
            },
            "docpipe-sigterm");
    Runtime.getRuntime().addShutdownHook(hook);
    ShardWorker.Outcome outcome = new ShardWorker.Outcome(ExitCode.RETRY, "the run did not end");
    try {
      outcome = worker.run(stopRequested::get);
    } catch (RuntimeException e) {
      outcome = new ShardWorker.Outcome(ExitCode.RETRY, "unexpected error: " + e);
    } finally {
      // Also after an Error: the SIGTERM hook must never wait for a run that is over.
      out.println(outcome.summary());
      out.flush();
      exit.set(outcome.exit().code);
      finished.countDown();
    }
    return outcome.exit().code;
  }
}
