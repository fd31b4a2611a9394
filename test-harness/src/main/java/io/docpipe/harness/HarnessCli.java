package io.docpipe.harness;

import io.docpipe.cli.DocpipeCli;
import io.docpipe.testkit.TikaServerProcess;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code docpipe harness}: one corpus through the Lambda, Fargate and GKE runtimes on this machine,
 * with no cloud and no network, and proof that they built the same index and give the same answers.
 */
@Command(
    name = "docpipe harness",
    mixinStandardHelpOptions = true,
    version = "docpipe 0.1.0-SNAPSHOT",
    description = {
      "Runs one corpus through the three runtimes, each into its own embedded index, and compares"
          + " them: the same point ids, chunk texts, spans, metadata and vectors (within 1e-6),"
          + " and the same ranked hits for every query.",
      "Lambda: the real runtime interface client against a local Runtime API, fed S3"
          + " ObjectCreated/ObjectRemoved notifications and SQS batches. Fargate: the Helidon"
          + " service on a local port, fed over its HTTP API. GKE: N worker processes with"
          + " JOB_COMPLETION_INDEX 0..N-1. Fargate and GKE extract through a real Tika Server"
          + " on 127.0.0.1 (their doc-builder sidecar, DOCPIPE_EXTRACTION=tika), Lambda"
          + " in-process; what only the sidecar extracts (HTML, PDF, Office…: its text differs"
          + " from in-process extraction) is compared between Fargate and GKE only, text and"
          + " Markdown between all three.",
      "Exit 0 when the three agree, 1 when they differ (the first difference is printed),"
          + " 2 on bad arguments, 3 when a runtime fails."
    },
    sortOptions = false)
public final class HarnessCli implements Callable<Integer> {

  static final int DIFFERENT = 1;
  static final int RUNTIME_FAILED = 3;

  @Parameters(
      arity = "0..1",
      paramLabel = "CORPUS",
      description = "A directory of documents; ids are paths relative to it.")
  private @Nullable Path corpus;

  @Option(
      names = "--generate",
      paramLabel = "N",
      description = "Add N generated documents (Markdown, text and HTML of several chunks).")
  private int generate;

  @Option(
      names = "--seed",
      paramLabel = "S",
      description = "Seed of the generated documents (default ${DEFAULT-VALUE}).")
  private long seed = 9;

  @Option(
      names = "--remove",
      paramLabel = "N",
      description =
          "Documents each runtime deletes again after indexing them (default: one in 20, at"
              + " least one).")
  private @Nullable Integer remove;

  @Option(
      names = "--shards",
      paramLabel = "N",
      description = "GKE worker processes (default ${DEFAULT-VALUE}).")
  private int shards = 2;

  @Option(
      names = "--query",
      paramLabel = "TEXT",
      description = "A query to compare the ranked hits of (repeatable; default: a fixed set).")
  private List<String> queries = new ArrayList<>();

  @Option(
      names = "--env",
      paramLabel = "RUNTIME:NAME=VALUE",
      description =
          "Set a variable for one runtime only, e.g. gke:DOCPIPE_CHUNK_OVERLAP=0 to see a"
              + " difference caught (repeatable).")
  private List<String> env = new ArrayList<>();

  @Option(
      names = "--no-sidecar",
      description =
          "Run Fargate and GKE with in-process extraction too, instead of through the Tika"
              + " sidecar (then every document is compared between all three).")
  private boolean noSidecar;

  @Option(
      names = "--work",
      paramLabel = "DIR",
      description = "Where the corpus copies, indexes and logs go (default: a new temp directory).")
  private @Nullable Path work;

  @Option(
      names = "--keep",
      description =
          "Keep the work directory after a successful run (it is always kept on failure).")
  private boolean keep;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    // The harness prints its own progress; the model's and Lucene's logs only when asked.
    DocpipeCli.quietLogging(System.getenv().getOrDefault("DOCPIPE_LOG_LEVEL", "WARNING"));
    System.exit(run(args));
  }

  static int run(String... args) {
    return new CommandLine(new HarnessCli()).execute(args);
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (corpus == null && generate <= 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "give a corpus directory, --generate N, or both");
    }
    if (corpus != null && !Files.isDirectory(corpus)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "the corpus " + corpus + " is not a directory");
    }
    Map<String, Map<String, String>> variables = parseEnv();
    Path dir = work != null ? work : Files.createTempDirectory("docpipe-harness-");
    Files.createDirectories(dir);
    Path root = dir.resolve("corpus");
    if (Files.exists(root)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "the work directory " + dir + " has been used before: give a new one");
    }
    Files.createDirectories(root);
    if (corpus != null) {
      Corpus.copyTree(corpus, root);
    }
    Corpus.generate(root, generate, seed);
    List<Corpus.Entry> entries = Corpus.entries(root);
    if (entries.isEmpty()) {
      throw new CommandLine.ParameterException(spec.commandLine(), "the corpus has no documents");
    }
    Set<String> removed =
        CrossRuntimeRun.spread(entries, remove != null ? remove : Math.max(1, entries.size() / 20));
    TikaServerProcess tika;
    try {
      tika = noSidecar ? null : Sidecar.start(dir.resolve("tika"));
    } catch (RuntimeException e) {
      err.println("the Tika sidecar did not start: " + e.getMessage());
      err.println("logs are kept in " + dir);
      return RUNTIME_FAILED;
    }
    int exit;
    try {
      exit =
          run(
              new CrossRuntimeRun(
                  root,
                  entries,
                  removed,
                  shards,
                  queries.isEmpty() ? CrossRuntimeRun.DEFAULT_QUERIES : queries,
                  variables,
                  Optional.ofNullable(tika).map(TikaServerProcess::url)),
              dir,
              out,
              err);
    } finally {
      if (tika != null) {
        tika.close();
      }
    }
    if (exit == 0) {
      if (!keep && work == null) {
        deleteTree(dir);
      } else {
        out.println("work directory kept: " + dir);
      }
    }
    return exit;
  }

  private int run(CrossRuntimeRun run, Path dir, PrintWriter out, PrintWriter err)
      throws Exception {
    List<Corpus.Entry> entries = run.entries();
    Set<String> removed = run.removed();
    out.printf(
        "docpipe harness: %,d documents%s, %,d removed again, %d GKE shards, %d queries; work"
            + " directory %s%n",
        entries.size(),
        generate > 0 ? String.format(" (%,d generated, seed %d)", generate, seed) : "",
        removed.size(),
        run.shards(),
        run.queries().size(),
        dir);
    run.sidecar()
        .ifPresent(
            url ->
                out.printf(
                    "fargate and gke extract through the Tika sidecar at %s, lambda in-process;"
                        + " only %s documents are compared with lambda%n",
                    url, new TreeSet<>(CrossRuntimeRun.COMPARED_ACROSS_EXTRACTION)));
    out.flush();
    Runtimes runtimes = new Runtimes(runtimeClasspath(), budget(entries.size()));
    CrossRuntimeRun.Outcome outcome;
    try {
      outcome =
          run.run(
              runtimes,
              dir,
              line -> {
                out.println("  " + line);
                out.flush();
              });
    } catch (Runtimes.RuntimeFailure e) {
      err.println("a runtime failed: " + e.getMessage());
      err.println("logs and indexes are kept in " + dir);
      return RUNTIME_FAILED;
    }
    long points = outcome.runtimes().getFirst().index().points().size();
    if (!outcome.identical()) {
      out.println("DIFFERENT: " + outcome.firstDifference().orElseThrow());
      out.println("logs and indexes are kept in " + dir);
      return DIFFERENT;
    }
    out.printf(
        "IDENTICAL: lambda, fargate and gke hold the same %,d points (ids, texts, spans,"
            + " metadata; vectors within 1e-6, %s) and give the same top %d for all %d queries;"
            + " the %,d removed document(s) gone from each%n",
        points,
        outcome.bitwiseDifferences() == 0
            ? "in fact bitwise equal"
            : String.format("%,d components not bitwise equal", outcome.bitwiseDifferences()),
        RuntimeIndex.K,
        run.queries().size(),
        removed.size());
    if (run.sidecar().isPresent()) {
      out.printf(
          "  with the sidecar against in-process, %,d document(s) differ, none of them text or"
              + " Markdown: %s%n",
          outcome.extractedDifferently().size(), outcome.extractedDifferently());
    }
    return 0;
  }

  /** {@code RUNTIME:NAME=VALUE} options, by runtime. */
  private Map<String, Map<String, String>> parseEnv() {
    Map<String, Map<String, String>> byRuntime = new HashMap<>();
    for (String option : env) {
      int colon = option.indexOf(':');
      int equals = option.indexOf('=');
      String runtime = colon < 0 ? "" : option.substring(0, colon);
      if (colon < 0 || equals < colon + 2 || !CrossRuntimeRun.RUNTIMES.contains(runtime)) {
        throw new CommandLine.ParameterException(
            spec.commandLine(),
            "--env "
                + option
                + ": expected RUNTIME:NAME=VALUE with RUNTIME one of "
                + CrossRuntimeRun.RUNTIMES);
      }
      byRuntime
          .computeIfAbsent(runtime, r -> new HashMap<>())
          .put(option.substring(colon + 1, equals), option.substring(equals + 1));
    }
    return byRuntime;
  }

  /**
   * The class path of this JVM, made absolute: the runtimes run on it (the harness jar's manifest
   * lists the three runtimes and their dependencies).
   */
  static String runtimeClasspath() {
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    List<String> absolute = new ArrayList<>();
    for (String entry : classpath.split(File.pathSeparator)) {
      if (!entry.isEmpty()) {
        absolute.add(Path.of(entry).toAbsolutePath().toString());
      }
    }
    return String.join(File.pathSeparator, absolute);
  }

  /** Four minutes plus two seconds a document for each runtime, on top of its start-up. */
  static Duration budget(int documents) {
    return Duration.ofMinutes(4).plusSeconds(2L * documents);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
