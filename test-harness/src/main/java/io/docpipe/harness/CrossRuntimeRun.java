package io.docpipe.harness;

import io.docpipe.onnx.OnnxEmbeddingModel;
import io.docpipe.onnx.OnnxSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * One run of the harness: the corpus through Lambda, Fargate and GKE, each into its own index, the
 * removed documents taken out again through each runtime's way of deleting, then the three indexes
 * read and compared. What {@code docpipe harness} and the build's test both do.
 *
 * @param corpus the directory whose relative paths are the document ids
 * @param entries the documents of {@code corpus}, in id order
 * @param removed ids of documents each runtime is made to delete after indexing them
 * @param shards GKE worker processes
 * @param queries the query set each index answers
 * @param env extra variables per runtime ({@code lambda}, {@code fargate}, {@code gke}), e.g. to
 *     configure one runtime differently on purpose
 * @param sidecar the Tika Server that Fargate and GKE extract through, as their doc-builder sidecar
 *     ({@code DOCPIPE_EXTRACTION=tika}), while Lambda extracts in-process; empty: all three
 *     in-process
 */
record CrossRuntimeRun(
    Path corpus,
    List<Corpus.Entry> entries,
    Set<String> removed,
    int shards,
    List<String> queries,
    Map<String, Map<String, String>> env,
    Optional<URI> sidecar) {

  static final List<String> RUNTIMES = List.of("lambda", "fargate", "gke");

  /** The runtimes that run with the doc-builder sidecar in production (ADR 0024). */
  static final Set<String> SIDECAR_RUNTIMES = Set.of("fargate", "gke");

  /**
   * The extensions compared between a runtime with the sidecar and one without: text and Markdown,
   * which every runtime decodes in-process (they never reach Tika). Every format the sidecar
   * extracts came out different from in-process extraction when measured, so those are compared
   * between Fargate and GKE (both through the sidecar) only: HTML's text (Tika repeats a title that
   * is also the first heading; docpipe drops that heading), a PDF's spans (the same chunk text, but
   * Tika's text starts with 26 characters of white space, so every offset moves), an XLSX's text
   * (Tika names the sheet before its cells), a PPTX's text (Tika names the package's thumbnail
   * image after the slides). An allow-list: any other file (DOCX, unknown types) goes to Tika, and
   * is left out too.
   */
  static final Set<String> COMPARED_ACROSS_EXTRACTION = Set.of("md", "markdown", "txt", "text");

  /** The default query set: the sample handbook's topics and the generated notes' vocabulary. */
  static final List<String> DEFAULT_QUERIES =
      List.of(
          "how do I rotate an API key",
          "what to do when the database backup fails",
          "vacation policy and days off",
          "who is on call at night",
          "shard checkpoint resume after a crash",
          "embedding latency of the vector search service",
          "retry the queue after a drain",
          "bucket notification payload");

  CrossRuntimeRun {
    entries = List.copyOf(entries);
    removed = Set.copyOf(removed);
    queries = List.copyOf(queries);
    env = Map.copyOf(env);
    for (String runtime : env.keySet()) {
      if (!RUNTIMES.contains(runtime)) {
        throw new IllegalArgumentException(
            "no runtime named " + runtime + "; the runtimes are " + RUNTIMES);
      }
    }
    Set<String> ids = new LinkedHashSet<>();
    entries.forEach(e -> ids.add(e.id()));
    for (String id : removed) {
      if (!ids.contains(id)) {
        throw new IllegalArgumentException("cannot remove " + id + ": it is not in the corpus");
      }
    }
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be at least 1, not " + shards);
    }
    Objects.requireNonNull(sidecar, "sidecar");
  }

  /**
   * The variables {@code runtime} runs with: the sidecar's ({@code DOCPIPE_EXTRACTION=tika}, {@code
   * DOCPIPE_TIKA_URL}) for Fargate and GKE when there is one, then the run's own for it.
   */
  Map<String, String> envFor(String runtime) {
    Map<String, String> variables = new HashMap<>();
    if (sidecar.isPresent() && SIDECAR_RUNTIMES.contains(runtime)) {
      variables.put("DOCPIPE_EXTRACTION", "tika");
      variables.put("DOCPIPE_TIKA_URL", sidecar.get().toString());
    }
    variables.putAll(env.getOrDefault(runtime, Map.of()));
    return Map.copyOf(variables);
  }

  /** Whether {@code runtime} extracts through the sidecar in this run. */
  boolean throughSidecar(String runtime) {
    return "tika".equals(envFor(runtime).get("DOCPIPE_EXTRACTION"));
  }

  /** Whether a document is compared between a runtime with the sidecar and one without. */
  static boolean comparedAcrossExtraction(String documentId) {
    return COMPARED_ACROSS_EXTRACTION.contains(Corpus.extension(documentId));
  }

  /**
   * Every {@code step}-th document, spread over the corpus, {@code count} in all: the documents a
   * run removes again.
   */
  static Set<String> spread(List<Corpus.Entry> entries, int count) {
    Set<String> chosen = new LinkedHashSet<>();
    if (count <= 0 || entries.isEmpty()) {
      return chosen;
    }
    int n = Math.min(count, entries.size());
    double step = (double) entries.size() / n;
    for (int i = 0; i < n; i++) {
      chosen.add(entries.get((int) (i * step + step / 2)).id());
    }
    return chosen;
  }

  /**
   * What one runtime left behind (its index as read, and the directories it was read from), whether
   * it extracted through the sidecar, and how long it took.
   */
  record RuntimeResult(
      RuntimeIndex index, List<Path> directories, boolean throughSidecar, Duration took) {

    RuntimeResult {
      directories = List.copyOf(directories);
    }
  }

  /**
   * The three runtimes' results, the first difference between them if there is one, and the
   * documents whose points differ between a runtime with the sidecar and one without (measured on
   * every document, the excluded formats included; empty when all extract alike).
   */
  record Outcome(
      List<RuntimeResult> runtimes,
      Optional<String> firstDifference,
      long bitwiseDifferences,
      Set<String> extractedDifferently) {

    Outcome {
      runtimes = List.copyOf(runtimes);
      extractedDifferently = Collections.unmodifiableSet(new TreeSet<>(extractedDifferently));
    }

    boolean identical() {
      return firstDifference.isEmpty();
    }
  }

  /**
   * Runs the three runtimes one after the other under {@code work} (each in its own directory) and
   * compares them; {@code progress} hears of each step.
   */
  Outcome run(Runtimes runtimes, Path work, Consumer<String> progress) throws Exception {
    List<RuntimeResult> results = new ArrayList<>();
    for (String runtime : RUNTIMES) {
      progress.accept(runtime + ": starting");
      long started = System.nanoTime();
      Path dir = work.resolve(runtime);
      Map<String, String> variables = envFor(runtime);
      List<Path> indexes =
          switch (runtime) {
            case "lambda" ->
                runtimes.lambda(new Runtimes.Workload(corpus, entries, removed), dir, variables);
            case "fargate" ->
                runtimes.fargate(new Runtimes.Workload(corpus, entries, removed), dir, variables);
            case "gke" -> runtimes.gke(corpus, removed, shards, dir, variables);
            default -> throw new IllegalStateException(runtime);
          };
      Duration took = Duration.ofNanos(System.nanoTime() - started);
      RuntimeIndex index = read(runtime, indexes);
      results.add(new RuntimeResult(index, indexes, throughSidecar(runtime), took));
      progress.accept(
          String.format(
              "%s: %,d points of %,d documents in %.1f s",
              runtime, index.points().size(), index.documentCount(), took.toMillis() / 1000.0));
    }
    Set<String> expected = new LinkedHashSet<>();
    entries.stream()
        .map(Corpus.Entry::id)
        .filter(id -> !removed.contains(id))
        .forEach(expected::add);
    Optional<String> difference = Optional.empty();
    for (RuntimeResult result : results) {
      difference = IndexComparison.documentsOtherThan(result.index(), expected, removed);
      if (difference.isPresent()) {
        break;
      }
    }
    Set<String> extractedDifferently = new TreeSet<>();
    for (int i = 0; difference.isEmpty() && i < results.size(); i++) {
      for (int j = i + 1; difference.isEmpty() && j < results.size(); j++) {
        difference = firstDifference(results.get(i), results.get(j));
        if (results.get(i).throughSidecar() != results.get(j).throughSidecar()) {
          extractedDifferently.addAll(
              IndexComparison.differingDocuments(results.get(i).index(), results.get(j).index()));
        }
      }
    }
    long bitwise = 0;
    for (int i = 1; i < results.size(); i++) {
      bitwise +=
          IndexComparison.bitwiseDifferentComponents(
              results.getFirst().index(), results.get(i).index());
    }
    return new Outcome(results, difference, bitwise, extractedDifferently);
  }

  /**
   * The first difference between two runtimes' results: every document and answer when both extract
   * alike (both in-process, or both through the sidecar); otherwise only the documents {@link
   * #comparedAcrossExtraction both extract identically}, their points and the answers of an index
   * of them alone (the other documents would move BM25's statistics and the ranks).
   */
  Optional<String> firstDifference(RuntimeResult a, RuntimeResult b) {
    if (a.throughSidecar() == b.throughSidecar()) {
      return IndexComparison.firstDifference(a.index(), b.index());
    }
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.of(new OnnxSettings(32, 1))) {
      return IndexComparison.firstDifference(restricted(a, model), restricted(b, model));
    }
  }

  private RuntimeIndex restricted(RuntimeResult result, OnnxEmbeddingModel model) {
    return RuntimeIndex.read(
        result.index().runtime(),
        result.directories(),
        model,
        queries,
        CrossRuntimeRun::comparedAcrossExtraction);
  }

  /**
   * What {@code indexes} answer to the query set, embedded by the model the runtimes use (one
   * intra-op thread, as they run it), so that every index answers exactly the same query vectors.
   */
  RuntimeIndex read(String runtime, List<Path> indexes) {
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.of(new OnnxSettings(32, 1))) {
      return RuntimeIndex.read(runtime, indexes, model, queries);
    }
  }
}
