package io.docpipe.qdrant;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What is particular to Qdrant: bootstrap, payload layout, batching, lookups, the API key, and the
 * embedding model the collection records (collection metadata), refusing another as the Lucene
 * index does: two models of the same dimension must not be mixed silently.
 */
class QdrantAdapterTest {

  private static final int DIMENSION = 16;
  private static final String MINILM = "onnx:all-MiniLM-L6-v2:256";
  private static final String BGE = "onnx:bge-small-en-v1.5-q:512";

  private final QdrantStandIn qdrant = QdrantStandIn.start();
  private final Random random = new Random(7);

  @AfterEach
  void stop() {
    qdrant.close();
  }

  private QdrantSettings settings(String collection) {
    return QdrantSettings.of(qdrant.host(), qdrant.port(), collection);
  }

  @Test
  void missingCollection_isCreatedWithCosineAndThePayloadIndexes() {
    try (VectorStore store =
        QdrantVectorStores.connect(
            settings("fresh").withIndexedMetadata(List.of("lang", "file.type")), DIMENSION)) {
      assertThat(store.dimension()).isEqualTo(DIMENSION);
    }

    assertThat(qdrant.hasCollection("fresh")).isTrue();
    assertThat(qdrant.payloadIndexes("fresh"))
        .containsOnly(
            Map.entry("doc_id", PayloadSchemaType.Keyword),
            Map.entry("doc_hash", PayloadSchemaType.Keyword),
            Map.entry("chunk_index", PayloadSchemaType.Integer),
            Map.entry("write_stamp", PayloadSchemaType.Integer),
            Map.entry("metadata.lang", PayloadSchemaType.Keyword),
            Map.entry("metadata.\"file.type\"", PayloadSchemaType.Keyword));
  }

  @Test
  void missingCollection_getsTheSparseLexicalVectorWithIdf_andEveryPointCarriesIt() {
    try (VectorStore store = QdrantVectorStores.connect(settings("sparse"), DIMENSION)) {
      store.write(List.of(document("a", randomUnitVectors(random, 3, DIMENSION))));
    }

    assertThat(qdrant.sparseVectors("sparse"))
        .containsExactly(Map.entry("lexical", io.qdrant.client.grpc.Collections.Modifier.Idf));
    assertThat(qdrant.pointsWithSparse("sparse", "lexical")).isEqualTo(3);
  }

  @Test
  void collectionWithoutTheSparseVector_answersDense_andLexicalSaysHowToReindex() {
    qdrant.createCollection("before-lexical", DIMENSION, Distance.Cosine);

    try (VectorStore store = QdrantVectorStores.connect(settings("before-lexical"), DIMENSION)) {
      List<float[]> vectors = randomUnitVectors(random, 2, DIMENSION);
      store.write(List.of(document("a", vectors)));
      assertThat(
              store.search(
                  new io.docpipe.core.port.out.VectorQuery(
                      vectors.get(0), 1, io.docpipe.core.model.MetadataFilter.none(), null, true)))
          .hasSize(1);
      assertThatThrownBy(
              () ->
                  store.searchText(
                      new io.docpipe.core.port.out.LexicalQuery(
                          "chunk", 1, io.docpipe.core.model.MetadataFilter.none())))
          .isInstanceOf(VectorStoreException.class)
          .hasMessageContaining("no sparse vector 'lexical'")
          .hasMessageContaining("--mode dense")
          .hasMessageContaining("DOCPIPE_QDRANT_COLLECTION");
    }
    assertThat(qdrant.pointsWithSparse("before-lexical", "lexical")).isZero();
  }

  @Test
  void existingCollectionWithAnotherDistance_isRefusedWithAClearError() {
    qdrant.createCollection("dotted", DIMENSION, Distance.Dot);

    assertThatThrownBy(() -> QdrantVectorStores.connect(settings("dotted"), DIMENSION))
        .isInstanceOfSatisfying(
            VectorStoreException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("Dot")
        .hasMessageContaining("Cosine")
        .hasMessageContaining("DOCPIPE_QDRANT_COLLECTION");
  }

  @Test
  void existingCollectionOfTheRightShape_isUsedAsItIs() {
    qdrant.createCollection("prepared", DIMENSION, Distance.Cosine);

    try (VectorStore store = QdrantVectorStores.connect(settings("prepared"), DIMENSION)) {
      store.write(List.of(document("a", randomUnitVectors(random, 2, DIMENSION))));
      assertThat(store.count()).isEqualTo(2);
    }
    assertThat(qdrant.calls("qdrant.Collections/Create")).isZero();
  }

  @Test
  void points_carryTheDocumentedPayload_underTheCoreIds() {
    DocumentWrite written =
        document("docs/a.md", "v3", Map.of("lang", "en"), randomUnitVectors(random, 2, DIMENSION));
    try (VectorStore store = QdrantVectorStores.connect(settings("layout"), DIMENSION)) {
      store.write(List.of(written));
    }

    Map<String, Map<String, Value>> points = qdrant.points("layout");
    assertThat(points.keySet())
        .containsExactlyInAnyOrder(
            written.points().get(0).id().toString(), written.points().get(1).id().toString());
    Map<String, Value> second = points.get(written.points().get(1).id().toString());
    assertThat(second.get("doc_id").getStringValue()).isEqualTo("docs/a.md");
    assertThat(second.get("doc_hash").getStringValue()).isEqualTo(written.documentHash().hex());
    assertThat(second.get("chunk_index").getIntegerValue()).isEqualTo(1);
    assertThat(second.get("metadata").getStructValue().getFieldsOrThrow("lang").getStringValue())
        .isEqualTo("en");
    assertThat(second.get("write_stamp").getIntegerValue()).isEqualTo(written.stamp());
    assertThat(second.keySet())
        .containsExactlyInAnyOrder(
            "doc_id",
            "doc_hash",
            "chunk_index",
            "text",
            "start",
            "end",
            "source",
            "metadata",
            "write_stamp");
  }

  @Test
  void upserts_goInBatchesOfTheConfiguredSize_withBoundedConcurrency() {
    List<DocumentWrite> documents = new ArrayList<>();
    for (int d = 0; d < 50; d++) {
      documents.add(document("b-" + d, randomUnitVectors(random, 20, DIMENSION)));
    }
    try (VectorStore store =
        QdrantVectorStores.connect(settings("batched").withBatching(64, 2), DIMENSION)) {
      store.write(documents);
      assertThat(store.count()).isEqualTo(1000);
    }

    assertThat(qdrant.upsertSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 64));
    assertThat(qdrant.upsertSizes().stream().mapToInt(Integer::intValue).sum()).isEqualTo(1000);
    // 950 later chunks in 15 batches, then 50 first chunks in one.
    assertThat(qdrant.upsertSizes()).hasSize(16);
    assertThat(qdrant.maxConcurrentUpserts()).isBetween(1, 2);
  }

  @Test
  void storedHashes_lookPointsUpById_withoutScrolling() {
    try (VectorStore store = QdrantVectorStores.connect(settings("lookup"), DIMENSION)) {
      store.write(List.of(document("x", randomUnitVectors(random, 3, DIMENSION))));
      long gets = qdrant.calls("qdrant.Points/Get");

      assertThat(store.storedHashes(List.of(DocumentId.of("x"), DocumentId.of("y"))))
          .containsOnlyKeys(DocumentId.of("x"));

      assertThat(qdrant.calls("qdrant.Points/Get")).isEqualTo(gets + 1);
      assertThat(qdrant.calls("qdrant.Points/Scroll")).isZero();
    }
  }

  @Test
  void apiKey_isSentAndAWrongOneFailsClearly_withoutShowingIt() {
    try (QdrantStandIn secured = QdrantStandIn.start("s3cret-key")) {
      QdrantSettings good =
          QdrantSettings.of(secured.host(), secured.port(), "secured").withApiKey("s3cret-key");
      try (VectorStore store = QdrantVectorStores.connect(good, DIMENSION)) {
        store.write(List.of(document("a", randomUnitVectors(random, 1, DIMENSION))));
        assertThat(store.count()).isEqualTo(1);
      }

      QdrantSettings wrong = good.withApiKey("wrong-key");
      assertThatThrownBy(() -> QdrantVectorStores.connect(wrong, DIMENSION))
          .isInstanceOfSatisfying(
              VectorStoreException.class, e -> assertThat(e.retriable()).isFalse())
          .hasMessageContaining("UNAUTHENTICATED")
          .hasMessageNotContaining("wrong-key");
      assertThat(good.toString()).doesNotContain("s3cret").contains("apiKey=****");
      assertThat(good.withApiKey(null).toString()).contains("apiKey=none");
    }
  }

  @Test
  void closedStore_refusesWork_andUnreachableServerFailsRetriably() {
    VectorStore store = QdrantVectorStores.connect(settings("closing"), DIMENSION);
    store.close();
    assertThatThrownBy(store::count)
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("closed");

    int port = qdrant.port();
    qdrant.close();
    QdrantSettings gone =
        QdrantSettings.of("127.0.0.1", port, "gone")
            .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(20));
    assertThatThrownBy(() -> QdrantVectorStores.connect(gone, DIMENSION))
        .isInstanceOfSatisfying(VectorStoreException.class, e -> assertThat(e.retriable()).isTrue())
        .hasMessageContaining("UNAVAILABLE")
        .hasMessageContaining("after 2 attempts");
  }

  @Test
  void zeroVectors_andWrongDimensions_areRefusedBeforeAnyCall() {
    try (VectorStore store = QdrantVectorStores.connect(settings("refusals"), DIMENSION)) {
      long upserts = qdrant.calls("qdrant.Points/Upsert");
      assertThatThrownBy(() -> store.write(List.of(document("z", List.of(new float[DIMENSION])))))
          .isInstanceOf(VectorStoreException.class)
          .hasMessageContaining("zero vector");
      assertThatThrownBy(
              () ->
                  store.search(
                      new VectorQuery(new float[DIMENSION], 3, MetadataFilter.none(), null, false)))
          .isInstanceOf(VectorStoreException.class)
          .hasMessageContaining("zero vector");
      assertThat(qdrant.calls("qdrant.Points/Upsert")).isEqualTo(upserts);
    }
  }

  @Test
  void settings_refuseOutOfRangeValues() {
    assertThatThrownBy(() -> settings("s").withBatching(63, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("64");
    assertThatThrownBy(() -> settings("s").withBatching(257, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("256");
    assertThatThrownBy(() -> QdrantSettings.of("h", 6334, "bad name"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("collection");
    assertThatThrownBy(() -> QdrantSettings.of("h", 0, "c"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // The model a collection records.

  private String recordedModel(String collection) {
    return qdrant.metadata(collection).get(QdrantVectorStore.MODEL_KEY).getStringValue();
  }

  @Test
  void newCollection_recordsTheModel_andAnotherModelIsRefusedNamingBoth() {
    try (VectorStore store = QdrantVectorStores.connect(settings("notes"), DIMENSION, MINILM)) {
      store.write(
          List.of(document("a.md", "v1", Map.of(), randomUnitVectors(random, 2, DIMENSION))));
    }
    assertThat(recordedModel("notes")).isEqualTo(MINILM);

    assertThatThrownBy(() -> QdrantVectorStores.connect(settings("notes"), DIMENSION, BGE))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("notes")
        .hasMessageContaining(MINILM)
        .hasMessageContaining(BGE)
        .hasMessageContaining("DOCPIPE_QDRANT_COLLECTION")
        .satisfies(e -> assertThat(((VectorStoreException) e).retriable()).isFalse());

    // The same model is welcome again, and finds what it wrote.
    try (VectorStore store = QdrantVectorStores.connect(settings("notes"), DIMENSION, MINILM)) {
      assertThat(store.count()).isEqualTo(2);
    }
  }

  @Test
  void emptyCollectionOfAnotherModel_takesTheNewModel() {
    try (VectorStore store = QdrantVectorStores.connect(settings("empty"), DIMENSION, MINILM)) {
      assertThat(store.count()).isZero();
    }
    try (VectorStore store = QdrantVectorStores.connect(settings("empty"), DIMENSION, BGE)) {
      store.write(
          List.of(document("b.md", "v1", Map.of(), randomUnitVectors(random, 1, DIMENSION))));
    }
    assertThat(recordedModel("empty")).isEqualTo(BGE);
    assertThatThrownBy(() -> QdrantVectorStores.connect(settings("empty"), DIMENSION, MINILM))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining(BGE);
  }

  @Test
  void collectionCreatedElsewhere_getsTheModelRecordedWhileEmpty_andNoModelChecksNothing() {
    qdrant.createCollection("prepared", DIMENSION, Distance.Cosine);
    try (VectorStore store = QdrantVectorStores.connect(settings("prepared"), DIMENSION)) {
      store.write(
          List.of(document("c.md", "v1", Map.of(), randomUnitVectors(random, 1, DIMENSION))));
    }
    assertThat(qdrant.metadata("prepared")).doesNotContainKey(QdrantVectorStore.MODEL_KEY);
    // Points of an unknown model: neither refused nor labelled with a guess.
    try (VectorStore store = QdrantVectorStores.connect(settings("prepared"), DIMENSION, BGE)) {
      assertThat(store.count()).isEqualTo(1);
    }
    assertThat(qdrant.metadata("prepared")).doesNotContainKey(QdrantVectorStore.MODEL_KEY);

    qdrant.createCollection("bare", DIMENSION, Distance.Cosine);
    try (VectorStore store = QdrantVectorStores.connect(settings("bare"), DIMENSION, BGE)) {
      assertThat(store.count()).isZero();
    }
    assertThat(recordedModel("bare")).isEqualTo(BGE);
  }
}
