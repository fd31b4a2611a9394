package io.docpipe.gke;

import io.docpipe.core.model.ShardProgress;
import io.docpipe.core.model.StopSignal;
import io.docpipe.core.port.in.ShardCommand;
import io.docpipe.core.port.in.ShardReport;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.wiring.Corpus;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.SecretRotation;
import io.docpipe.wiring.observe.PipelineMetrics;
import io.docpipe.wiring.observe.Tracing;
import java.nio.file.Files;
import java.util.Objects;

/** Runs one shard to its end and says how it ended; used by {@code worker} in a pod. */
final class ShardWorker {

  private static final System.Logger LOG = System.getLogger(ShardWorker.class.getName());

  /** How the run ended: the exit code and one line for the pod log. */
  record Outcome(ExitCode exit, String summary) {}

  private final WorkerSettings settings;
  private final DocpipeConfig config;
  private final OutcomeLog outcomeLog;
  private final PipelineMetrics metrics;
  private final Tracing tracing;
  private final SecretRotation secrets;

  ShardWorker(
      WorkerSettings settings,
      DocpipeConfig config,
      OutcomeLog outcomeLog,
      PipelineMetrics metrics,
      Tracing tracing,
      SecretRotation secrets) {
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    this.tracing = Objects.requireNonNull(tracing, "tracing");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.config = Objects.requireNonNull(config, "config");
    this.outcomeLog = Objects.requireNonNull(outcomeLog, "outcomeLog");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  Outcome run(StopSignal stop) {
    Corpus corpus;
    if (Files.isDirectory(settings.corpus())) {
      corpus = Corpus.localDirectory(settings.corpus());
    } else if (Files.isRegularFile(settings.corpus())) {
      corpus = Corpus.manifest(settings.corpus());
    } else {
      return new Outcome(
          ExitCode.CONFIGURATION,
          "corpus " + settings.corpus() + " is neither a directory nor a manifest file");
    }
    GkeComponent component;
    try {
      component =
          GkeComponent.create(config, settings.shard(), outcomeLog, metrics, tracing, secrets);
      component.optimizeIndex(); // opens the index (and so the model) now, not mid-batch
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.ERROR, "cannot start shard " + settings.shard(), e);
      return new Outcome(ExitCode.RETRY, "cannot open the index or the model: " + e);
    }
    try (component) {
      ShardReport report =
          component
              .corpusRun()
              .create(corpus)
              .processShard()
              .process(
                  new ShardCommand(
                      settings.shard(), settings.batchSize(), settings.maxFailureRatio(), stop));
      if (report.status() == ShardReport.Status.COMPLETED) {
        optimizeForSearch(component);
      }
      ShardProgress p = report.checkpoint().progress();
      String detail =
          report.status().name().toLowerCase(java.util.Locale.ROOT)
              + ": "
              + p.indexed()
              + " indexed, "
              + p.unchanged()
              + " unchanged, "
              + p.failed()
              + " failed in total; "
              + report.detail();
      String summary = "shard " + settings.shard() + " " + detail;
      if (report.status() != ShardReport.Status.COMPLETED || p.failed() > 0) {
        metrics.batchFailed();
      }
      component
          .shardEvents()
          .runEnded(
              reason(report.status()), detail, report.status() != ShardReport.Status.COMPLETED);
      return new Outcome(ExitCode.of(report.status()), summary);
    }
  }

  /**
   * A shard is a bulk load: leave its index merged for the searches that follow. Best effort: the
   * documents are indexed whatever happens here, so a failure is logged, not a failed shard.
   */
  private void optimizeForSearch(GkeComponent component) {
    try {
      component.optimizeIndex().optimize();
    } catch (VectorStoreException e) {
      LOG.log(
          System.Logger.Level.WARNING,
          "shard " + settings.shard() + " is indexed, but its index was not optimized for search",
          e);
    }
  }

  private static String reason(ShardReport.Status status) {
    return switch (status) {
      case COMPLETED -> "ShardCompleted";
      case STOPPED -> "ShardStopped";
      case UNAVAILABLE -> "ShardUnavailable";
      case TOO_MANY_FAILURES -> "ShardTooManyFailures";
      case FAILED -> "ShardFailed";
    };
  }
}
