package io.docpipe.qdrant;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.qdrant.client.grpc.Collections.Distance;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The collection records the embedding model that wrote it (collection metadata) and refuses
 * another, as the Lucene index does: two models of the same dimension must not be mixed silently.
 */
class QdrantModelRecordTest {

  private static final int DIMENSION = 16;
  private static final String MINILM = "onnx:all-MiniLM-L6-v2:256";
  private static final String BGE = "onnx:bge-small-en-v1.5-q:512";

  private final QdrantStandIn qdrant = QdrantStandIn.start();
  private final Random random = new Random(11);

  @AfterEach
  void stop() {
    qdrant.close();
  }

  private QdrantSettings settings(String collection) {
    return QdrantSettings.of(qdrant.host(), qdrant.port(), collection);
  }

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
