package io.docpipe.harnesse2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.Point;
import io.docpipe.onnx.OnnxEmbeddingModel;
import io.docpipe.onnx.OnnxSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of issue 9: one corpus through Lambda (runtime interface client + local Runtime API,
 * S3 notifications and SQS batches), Fargate (the Helidon service, inline documents over HTTP) and
 * GKE (two shard workers over the corpus directory) gives the same index and the same ranked
 * answers; and a runtime configured differently is caught with a diff naming the first differing
 * document.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ThreeRuntimesTest {

  private static final int GENERATED = 30;
  private static final int SHARDS = 2;
  private static final List<String> QUERIES =
      List.of(
          "how do I rotate an API key",
          "what to do when the database backup fails",
          "vacation policy and days off",
          "who is on call at night",
          "shard checkpoint resume after a crash",
          "embedding latency of the vector search service");

  private Path dir;
  private Path corpus;
  private List<Corpus.Entry> entries;
  private Map<String, float[]> queries;
  private RuntimeIndex lambda;
  private RuntimeIndex fargate;
  private RuntimeIndex gke;

  @BeforeAll
  void runTheCorpusThroughEveryRuntime(@TempDir Path tempDir) throws Exception {
    dir = tempDir;
    corpus = dir.resolve("corpus");
    entries =
        Corpus.write(corpus, Path.of(System.getProperty("docpipe.samples.dir")), GENERATED, 9L);
    queries = new LinkedHashMap<>();
    try (OnnxEmbeddingModel model = OnnxEmbeddingModel.allMiniLmL6V2(new OnnxSettings(32, 1))) {
      List<float[]> vectors = model.embed(QUERIES);
      for (int i = 0; i < QUERIES.size(); i++) {
        queries.put(QUERIES.get(i), vectors.get(i));
      }
    }
    lambda =
        RuntimeIndex.read(
            "lambda", Runtimes.lambda(corpus, entries, dir.resolve("lambda"), Map.of()), queries);
    fargate =
        RuntimeIndex.read(
            "fargate", Runtimes.fargate(entries, dir.resolve("fargate"), Map.of()), queries);
    gke =
        RuntimeIndex.read(
            "gke", Runtimes.gke(corpus, SHARDS, dir.resolve("gke"), Map.of()), queries);
  }

  @Test
  void everyRuntime_indexesTheWholeCorpus_inSeveralChunksForTheLongDocuments() {
    assertThat(entries).hasSize(9 + GENERATED);
    for (RuntimeIndex index : List.of(lambda, fargate, gke)) {
      assertThat(index.points().values().stream().map(p -> p.payload().documentId().value()))
          .as(index.runtime())
          .containsAll(entries.stream().map(Corpus.Entry::id).toList());
      // Overlap only shows in documents of more than one chunk: the corpus must have some.
      assertThat(index.points().values().stream().filter(p -> p.payload().chunkIndex() > 0))
          .as(index.runtime())
          .hasSizeGreaterThan(GENERATED / 2);
      // ... and some chunks must start inside their predecessor, or overlap was never exercised.
      assertThat(overlappingChunks(index)).as(index.runtime()).isPositive();
      assertThat(index.answers()).as(index.runtime()).hasSize(QUERIES.size());
      index.answers().values().forEach(hits -> assertThat(hits).hasSize(RuntimeIndex.K));
    }
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
    assertThat(IndexComparison.firstDifference(lambda, fargate)).isEmpty();
    assertThat(IndexComparison.firstDifference(lambda, gke)).isEmpty();
    assertThat(IndexComparison.firstDifference(fargate, gke)).isEmpty();
  }

  @Test
  void samples_areFoundForTheirQueries_inEveryRuntime() {
    for (RuntimeIndex index : List.of(lambda, fargate, gke)) {
      assertThat(index.answers().get("how do I rotate an API key").getFirst().documentId())
          .as(index.runtime())
          .isEqualTo("security/rotating-api-keys.md");
    }
  }

  @Test
  void oneRuntimeWithAnotherChunkOverlap_failsTheComparison_namingTheFirstDifferingDocument()
      throws Exception {
    RuntimeIndex broken =
        RuntimeIndex.read(
            "gke(overlap 0)",
            Runtimes.gke(
                corpus, SHARDS, dir.resolve("gke-overlap-0"), Map.of("DOCPIPE_CHUNK_OVERLAP", "0")),
            queries);

    Optional<String> difference = IndexComparison.firstDifference(lambda, broken);

    assertThat(difference).isPresent();
    assertThat(difference.get())
        .startsWith("lambda vs gke(overlap 0): ")
        .containsPattern(
            "document generated/note-\\d{3}\\.(md|txt|html)"
                + " (chunk \\d+: text differs|has \\d+ vs \\d+ chunks)");
  }
}
