package io.docpipe.harness;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.Point;
import io.docpipe.documents.TestDocuments;
import io.docpipe.testkit.TikaServerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of issue 9: one corpus through Lambda (runtime interface client + local Runtime API,
 * S3 notifications and SQS batches, created and removed objects), Fargate (the Helidon service,
 * documents over HTTP, then deletes) and GKE (two shard workers over the corpus directory) gives
 * the same index and the same ranked answers; and a runtime configured differently is caught with a
 * diff naming the first differing document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreeRuntimesTest {

  private static final int GENERATED = 30;
  private static final int SHARDS = 2;
  private static final int REMOVED = 3;
  private static final String PDF = "reports/quarterly-review.pdf";
  private static final String XLSX = "reports/revenue-by-quarter.xlsx";
  private static final String PPTX = "reports/roadmap.pptx";

  private Path dir;
  private TikaServerProcess tika;
  private CrossRuntimeRun run;
  private Runtimes runtimes;
  private CrossRuntimeRun.Outcome outcome;
  private RuntimeIndex lambda;
  private RuntimeIndex fargate;
  private RuntimeIndex gke;

  @BeforeAll
  void runTheCorpusThroughEveryRuntime(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    tika = Sidecar.start(dir.resolve("tika"));
    Path corpus = dir.resolve("corpus");
    Corpus.write(corpus, Path.of(System.getProperty("docpipe.samples.dir")), GENERATED, 9L);
    // A binary document: Fargate gets it by reference (uri), not inline.
    Files.createDirectories(corpus.resolve("reports"));
    Files.write(
        corpus.resolve("reports").resolve("quarterly-review.pdf"),
        pdf(
            "Quarterly review of the search service",
            "Query latency stayed under budget while the corpus grew by a third.",
            "The embedding workers were resized after the spring load test."));
    // Office documents, made by POI as an office suite would save them (adapters/tika's README
    // lists how Tika's text of them differs from in-process extraction).
    Files.write(
        corpus.resolve(XLSX),
        TestDocuments.xlsx(
            List.of(
                List.of("quarter", "revenue", "note"),
                List.of("Q1", "1200", "Search latency stayed under budget."),
                List.of("Q2", "1450", "The corpus grew by a third after the shard rebalance."))));
    Files.write(
        corpus.resolve(PPTX),
        TestDocuments.pptx(
            "Roadmap for the vector search service",
            "Resume a shard from its last checkpoint after a crash.",
            "Retry the queue after a drain, then scale the embedding workers."));
    List<Corpus.Entry> entries = Corpus.entries(corpus);
    run =
        new CrossRuntimeRun(
            corpus,
            entries,
            CrossRuntimeRun.spread(entries, REMOVED),
            SHARDS,
            CrossRuntimeRun.DEFAULT_QUERIES,
            Map.of(),
            Optional.of(tika.url()));
    runtimes = new Runtimes(HarnessCli.runtimeClasspath(), HarnessCli.budget(entries.size()));
    outcome = run.run(runtimes, dir, line -> {});
    lambda = outcome.runtimes().get(0).index();
    fargate = outcome.runtimes().get(1).index();
    gke = outcome.runtimes().get(2).index();
    System.out.println("MEASURED extracted differently: " + outcome.extractedDifferently());
    System.out.println(
        "MEASURED lambda vs fargate: " + IndexComparison.firstDifference(lambda, fargate));
    outcome
        .runtimes()
        .forEach(r -> System.out.println("MEASURED " + r.index().runtime() + " " + r.took()));
  }

  @AfterAll
  void stopTheSidecar() {
    if (tika != null) {
      tika.close();
    }
  }

  @Test
  void theRemovedDocuments_areSpreadOverBothLambdaHandlers_andKeepTheSampleTheQueriesNeed() {
    List<String> ids = run.entries().stream().map(Corpus.Entry::id).toList();
    int half = ids.size() / 2;
    assertThat(run.removed()).hasSize(REMOVED);
    assertThat(run.removed()).anyMatch(id -> ids.indexOf(id) < half);
    assertThat(run.removed()).anyMatch(id -> ids.indexOf(id) >= half);
    assertThat(run.removed()).doesNotContain("security/rotating-api-keys.md");
  }

  @Test
  void everyRuntime_indexesTheCorpusButTheRemovedDocuments_inSeveralChunksForTheLongOnes() {
    assertThat(run.entries()).hasSize(9 + GENERATED + 3);
    assertThat(run.entries())
        .filteredOn(e -> e.id().equals(PDF))
        .singleElement()
        .satisfies(e -> assertThat(e.inlineText()).isEmpty());
    List<String> kept =
        run.entries().stream()
            .map(Corpus.Entry::id)
            .filter(id -> !run.removed().contains(id))
            .toList();
    for (RuntimeIndex index : List.of(lambda, fargate, gke)) {
      assertThat(
              index.points().values().stream()
                  .map(p -> p.payload().documentId().value())
                  .distinct())
          .as(index.runtime())
          .containsExactlyInAnyOrderElementsOf(kept);
      // Overlap only shows in documents of more than one chunk: the corpus must have some.
      assertThat(index.points().values().stream().filter(p -> p.payload().chunkIndex() > 0))
          .as(index.runtime())
          .hasSizeGreaterThan(GENERATED / 2);
      // ... and some chunks must start inside their predecessor, or overlap was never exercised.
      assertThat(overlappingChunks(index)).as(index.runtime()).isPositive();
      assertThat(index.answers()).as(index.runtime()).hasSize(run.queries().size());
      index.answers().values().forEach(hits -> assertThat(hits).hasSize(RuntimeIndex.K));
    }
  }

  @Test
  void thePdf_isExtractedAlikeByEveryRuntime_thoughFargateFetchedItByReference() {
    for (RuntimeIndex index : List.of(lambda, fargate, gke)) {
      assertThat(
              index.points().values().stream()
                  .filter(p -> p.payload().documentId().value().equals(PDF))
                  .map(p -> p.payload().text()))
          .as(index.runtime())
          .singleElement(InstanceOfAssertFactories.STRING)
          .contains("Query latency stayed under budget");
    }
  }

  /** A PDF of one page, one line per string, as a scanner-free office export would make it. */
  private static byte[] pdf(String... lines) {
    return TestDocuments.pdf(String.join("\n", lines));
  }

  private static long overlappingChunks(RuntimeIndex index) {
    Map<String, Map<Integer, PointPayload>> byDocument = new HashMap<>();
    for (Point point : index.points().values()) {
      byDocument
          .computeIfAbsent(point.payload().documentId().value(), d -> new HashMap<>())
          .put(point.payload().chunkIndex(), point.payload());
    }
    return byDocument.values().stream()
        .flatMap(
            chunks ->
                chunks.values().stream()
                    .filter(
                        c ->
                            c.chunkIndex() > 0 && c.start() < chunks.get(c.chunkIndex() - 1).end()))
        .count();
  }

  @Test
  void lambdaFargateAndGke_giveTheSamePointsPayloadsVectorsAndRankedHits() {
    assertThat(outcome.firstDifference()).isEmpty();
    assertThat(outcome.identical()).isTrue();
    // Fargate and GKE both extract through the sidecar: every document and answer is compared.
    assertThat(IndexComparison.firstDifference(fargate, gke)).isEmpty();
    // Lambda extracts in-process: compared on text and Markdown, and an index of those alone.
    assertThat(run.firstDifference(result(0), result(1))).isEmpty();
    assertThat(run.firstDifference(result(0), result(2))).isEmpty();
  }

  @Test
  void fargateAndGke_extractThroughTheSidecar_lambdaInProcess() {
    assertThat(outcome.runtimes())
        .extracting(CrossRuntimeRun.RuntimeResult::throughSidecar)
        .containsExactly(false, true, true);
    assertThat(run.envFor("fargate"))
        .containsEntry("DOCPIPE_EXTRACTION", "tika")
        .containsEntry("DOCPIPE_TIKA_URL", tika.url().toString());
    assertThat(run.envFor("lambda")).doesNotContainKey("DOCPIPE_EXTRACTION");
  }

  @Test
  void whatTheSidecarExtracts_differsFromInProcess_soOnlyTextAndMarkdownAreComparedWithLambda() {
    List<String> keptThroughTika =
        run.entries().stream()
            .map(Corpus.Entry::id)
            .filter(id -> !run.removed().contains(id))
            .filter(id -> !CrossRuntimeRun.comparedAcrossExtraction(id))
            .toList();
    assertThat(keptThroughTika).anyMatch(id -> id.endsWith(".html")).contains(PDF, XLSX, PPTX);

    // Measured: every HTML page, the PDF, the XLSX and the PPTX differ between Lambda and the
    // sidecar runtimes, and
    // nothing else does; so the sidecar really extracted them, and the exclusion is not wider
    // than it must be.
    assertThat(outcome.extractedDifferently()).containsExactlyInAnyOrderElementsOf(keptThroughTika);
    // HTML: the title Tika repeats; the PDF: the same chunk text at other offsets.
    assertThat(IndexComparison.firstDifference(lambda, fargate))
        .hasValueSatisfying(d -> assertThat(d).contains("html chunk 0: text differs"));
    assertThat(chunkTexts(lambda, PDF)).isEqualTo(chunkTexts(fargate, PDF));
  }

  /**
   * The Office documents differ between Lambda and the sidecar runtimes only as adapters/tika's
   * README lists: Tika names the sheet before its cells and names the presentation's thumbnail; the
   * words are otherwise the same (the spans move: Tika's text starts with white space).
   */
  @Test
  void xlsxAndPptx_differFromInProcessOnlyBySheetNameAndThumbnailName() {
    assertThat(words(fargate, XLSX)).isEqualTo("data " + words(lambda, XLSX));
    assertThat(words(lambda, XLSX)).contains("Q2 1450 The corpus grew by a third");
    assertThat(words(fargate, PPTX)).isEqualTo(words(lambda, PPTX) + " /docProps/thumbnail.jpeg");
    assertThat(words(lambda, PPTX)).startsWith("Roadmap for the vector search service Resume");
    for (String id : List.of(XLSX, PPTX)) {
      assertThat(chunkTexts(gke, id)).as(id).isEqualTo(chunkTexts(fargate, id));
    }
  }

  private static String words(RuntimeIndex index, String documentId) {
    return String.join(" ", String.join(" ", chunkTexts(index, documentId)).strip().split("\\s+"));
  }

  @Test
  void oneRuntimeWithAnotherChunkOverlap_failsTheComparison_namingTheFirstDifferingDocument()
      throws Exception {
    List<Path> shards =
        runtimes.gke(
            run.corpus(),
            run.removed(),
            SHARDS,
            dir.resolve("gke-overlap-0"),
            withOverlapZero(run.envFor("gke")));
    CrossRuntimeRun.RuntimeResult broken =
        new CrossRuntimeRun.RuntimeResult(
            run.read("gke(overlap 0)", shards), shards, true, Duration.ZERO);

    // Against Lambda (in-process): caught on the text and Markdown documents compared.
    Optional<String> difference = run.firstDifference(result(0), broken);
    assertThat(difference).isPresent();
    assertThat(difference.get())
        .startsWith("lambda vs gke(overlap 0): ")
        .containsPattern(
            "document generated/note-\\d{3}\\.(md|txt)"
                + " (chunk \\d+: text differs|has \\d+ vs \\d+ chunks)");
    // Against Fargate (the sidecar too): every document compared, so the first is HTML's.
    assertThat(run.firstDifference(result(1), broken))
        .hasValueSatisfying(
            d ->
                assertThat(d)
                    .startsWith("fargate vs gke(overlap 0): ")
                    .containsPattern("document generated/note-\\d{3}\\.(md|txt|html)"));
  }

  private CrossRuntimeRun.RuntimeResult result(int runtime) {
    return outcome.runtimes().get(runtime);
  }

  private static Map<String, String> withOverlapZero(Map<String, String> env) {
    Map<String, String> variables = new HashMap<>(env);
    variables.put("DOCPIPE_CHUNK_OVERLAP", "0");
    return variables;
  }

  private static List<String> chunkTexts(RuntimeIndex index, String documentId) {
    return index.points().values().stream()
        .filter(p -> p.payload().documentId().value().equals(documentId))
        .sorted(java.util.Comparator.comparingInt(p -> p.payload().chunkIndex()))
        .map(p -> p.payload().text())
        .toList();
  }
}
