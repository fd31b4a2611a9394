package io.docpipe.lucene;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVector;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.testkit.VectorStoreContract;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The in-memory Lucene store against the contract, plus what is particular to Lucene. */
class LuceneVectorStoreTest extends VectorStoreContract {

  @Override
  protected VectorStore newStore(int dimension) {
    return LuceneVectorStores.inMemory(dimension);
  }

  @Test
  void vectorsOf3072Dimensions_areStoredAndFound() {
    Random random = new Random(seed());
    VectorStore store = store(3072);
    List<float[]> vectors = randomUnitVectors(random, 40, 3072);
    DocumentWrite document = document("openai-large", vectors);

    store.write(List.of(document));

    assertThat(store.count()).isEqualTo(40);
    for (boolean exact : List.of(false, true)) {
      var hits =
          store.search(new VectorQuery(vectors.get(7), 3, MetadataFilter.none(), null, exact));
      assertThat(hits.getFirst().id()).isEqualTo(document.points().get(7).id());
      assertThat(hits.getFirst().score()).isCloseTo(1.0, within(1e-5));
      assertThat(hits).isSortedAccordingTo(order());
    }
  }

  @Test
  void dimensionOutsideOneTo4096_isRefused() {
    assertThatThrownBy(() -> LuceneVectorStores.inMemory(4097))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4096");
    assertThatThrownBy(() -> LuceneVectorStores.inMemory(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void closedStore_refusesEveryOperationWithAVectorStoreException() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.close();

    float[] vector = randomUnitVector(random, DIMENSION);
    assertThatThrownBy(() -> store.write(List.of(document("a", List.of(vector)))))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("closed");
    assertThatThrownBy(
            () -> store.search(new VectorQuery(vector, 1, MetadataFilter.none(), null, false)))
        .isInstanceOf(VectorStoreException.class);
    assertThatThrownBy(store::count).isInstanceOf(VectorStoreException.class);
    assertThatThrownBy(() -> store.delete(DocumentId.of("a")))
        .isInstanceOf(VectorStoreException.class);
    assertThatThrownBy(() -> store.storedHashes(List.of(DocumentId.of("a"))))
        .isInstanceOf(VectorStoreException.class);
  }

  @Test
  void zeroQueryVector_isRefused() {
    VectorStore store = store(DIMENSION);

    assertThatThrownBy(
            () ->
                store.search(
                    new VectorQuery(new float[DIMENSION], 1, MetadataFilter.none(), null, false)))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("zero");
  }

  @Test
  void zeroVectorWrite_isRefusedAndWritesNothing() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);

    assertThatThrownBy(
            () ->
                store.write(
                    List.of(
                        document(
                            "a",
                            List.of(randomUnitVector(random, DIMENSION), new float[DIMENSION])))))
        .isInstanceOfSatisfying(
            VectorStoreException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining("zero vector");
    assertThat(store.count()).isZero();
  }

  @Test
  void luceneScores_convertBackToCosine() {
    for (float cosine : new float[] {-1f, -0.5f, 0f, 0.3f, 0.999f, 1f}) {
      float luceneScore = PointDocuments.SIMILARITY.compare(new float[] {1f}, new float[] {cosine});
      assertThat(LuceneVectorStore.cosineOfLuceneScore(luceneScore))
          .isCloseTo(cosine, within(1e-6f));
    }
  }
}
