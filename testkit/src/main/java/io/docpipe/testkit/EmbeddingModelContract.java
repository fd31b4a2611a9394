package io.docpipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.docpipe.core.port.out.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link EmbeddingModel} must pass: extend it, return your model from {@link
 * #model()} (build it once and share it, models are expensive), and the tests run against it.
 *
 * <p>Checked, on fixed {@link #TEXTS} (no randomness, nothing to replay): a positive dimension that
 * every vector has; unit-length vectors in the order of the texts; deterministic, and a batch equal
 * to one-by-one calls; an empty list gives an empty list; token counts grow with the text and the
 * input limit is positive; a non-blank model id; a paraphrase scores closer than an unrelated
 * sentence; concurrent calls give the sequential vectors; queries embedded as queries are unit
 * vectors nearest their own passage. A model served over the network needs a local stand-in
 * (docpipe's OpenAI adapter runs this against a server on 127.0.0.1).
 */
public abstract class EmbeddingModelContract {

  /** Varied texts: short, long, punctuation, accents, numbers, another script. */
  protected static final List<String> TEXTS =
      List.of(
          "The cat sat on the mat.",
          "Vector search finds documents by meaning rather than by exact words.",
          "Ünïcödé àccents, naïve café — and some punctuation?!",
          "42 is the answer; 3.14159 is pi.",
          "東京は日本の首都です。",
          "A considerably longer passage about how embedding models turn whole paragraphs of text"
              + " into fixed-length vectors, so that a nearest-neighbour search over those vectors"
              + " returns the passages closest in meaning to a question, even when they share few"
              + " words with it.");

  /** The model under test; may return the same instance on every call. */
  protected abstract EmbeddingModel model();

  @Test
  void dimension_isPositive_andEveryVectorHasIt() {
    EmbeddingModel model = model();
    assertThat(model.dimension()).isPositive();
    assertThat(model.embed(TEXTS))
        .hasSize(TEXTS.size())
        .allSatisfy(v -> assertThat(v).hasSize(model.dimension()));
  }

  @Test
  void vectors_haveUnitLength() {
    for (float[] vector : model().embed(TEXTS)) {
      assertThat(norm(vector)).isCloseTo(1.0, within(1e-3));
    }
  }

  @Test
  void vectors_comeBackInTheOrderOfTheTexts() {
    List<float[]> forward = model().embed(TEXTS);
    List<float[]> backward = model().embed(TEXTS.reversed());
    for (int i = 0; i < TEXTS.size(); i++) {
      assertClose(backward.get(TEXTS.size() - 1 - i), forward.get(i), 1e-4);
    }
  }

  @Test
  void embedding_isDeterministic() {
    List<float[]> first = model().embed(TEXTS);
    List<float[]> second = model().embed(TEXTS);
    for (int i = 0; i < TEXTS.size(); i++) {
      assertClose(second.get(i), first.get(i), 1e-6);
    }
  }

  @Test
  void emptyList_givesEmptyList() {
    assertThat(model().embed(List.of())).isEmpty();
  }

  @Test
  void batch_equalsOneByOne() {
    List<float[]> batch = model().embed(TEXTS);
    for (int i = 0; i < TEXTS.size(); i++) {
      List<float[]> single = model().embed(List.of(TEXTS.get(i)));
      assertThat(single).hasSize(1);
      assertClose(single.get(0), batch.get(i), 1e-4);
    }
  }

  @Test
  void countTokens_isZeroOrSmallForEmptyText_andGrowsWithText() {
    EmbeddingModel model = model();
    int empty = model.countTokens("");
    int word = model.countTokens("hello");
    int sentence = model.countTokens("hello, this is a somewhat longer sentence about tokens");
    int paragraph = model.countTokens(TEXTS.get(TEXTS.size() - 1));
    assertThat(empty).isBetween(0, 2);
    assertThat(word).isGreaterThanOrEqualTo(empty).isPositive();
    assertThat(sentence).isGreaterThan(word);
    assertThat(paragraph).isGreaterThan(sentence);
    for (String text : TEXTS) {
      assertThat(model.countTokens(text)).isNotNegative();
    }
  }

  @Test
  void maxInputTokens_isPositive() {
    assertThat(model().maxInputTokens()).isPositive();
  }

  @Test
  void modelId_isNotBlank() {
    assertThat(model().modelId()).isNotBlank();
  }

  @Test
  void paraphrase_isCloserThanAnUnrelatedSentence() {
    List<float[]> vectors =
        model()
            .embed(
                List.of(
                    "How do I reset my password?",
                    "What are the steps to change my login password?",
                    "The giraffe is the tallest living land animal."));
    double paraphrase = cosine(vectors.get(0), vectors.get(1));
    double unrelated = cosine(vectors.get(0), vectors.get(2));
    assertThat(paraphrase).isGreaterThan(unrelated);
  }

  @Test
  void queries_getOneUnitVectorEach_inOrder_andAreNearTheirPassage() {
    EmbeddingModel model = model();
    List<String> queries = List.of("how do I reset my password", "tallest land animal");
    List<float[]> asQueries = model.embedQueries(queries);
    assertThat(asQueries).hasSize(queries.size());
    for (float[] vector : asQueries) {
      assertThat(vector).hasSize(model.dimension());
      assertThat(norm(vector)).isCloseTo(1.0, within(1e-3));
    }
    assertThat(model.embedQueries(List.of())).isEmpty();
    // Whatever a model prepends to queries, a query still lands nearest its own passage.
    List<float[]> passages =
        model.embed(
            List.of(
                "To reset your password, open the login page and follow the reset link.",
                "The giraffe is the tallest living land animal."));
    assertThat(cosine(asQueries.get(0), passages.get(0)))
        .isGreaterThan(cosine(asQueries.get(0), passages.get(1)));
    assertThat(cosine(asQueries.get(1), passages.get(1)))
        .isGreaterThan(cosine(asQueries.get(1), passages.get(0)));
  }

  @Test
  void concurrentCalls_giveTheSameVectorsAsSequentialOnes() throws Exception {
    EmbeddingModel model = model();
    List<float[]> expected = model.embed(TEXTS);
    int threads = 4;
    List<Future<List<float[]>>> futures = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      for (int t = 0; t < threads; t++) {
        boolean backwards = t % 2 != 0;
        futures.add(
            pool.submit(
                () -> backwards ? model.embed(TEXTS.reversed()).reversed() : model.embed(TEXTS)));
      }
      for (Future<List<float[]>> future : futures) {
        List<float[]> got = future.get();
        for (int i = 0; i < TEXTS.size(); i++) {
          assertClose(got.get(i), expected.get(i), 1e-4);
        }
      }
    }
  }

  // ---- helpers for subclasses -----------------------------------------------------------------

  /** Cosine similarity of two vectors of the same length. */
  protected static double cosine(float[] a, float[] b) {
    assertThat(a).hasSameSizeAs(b);
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }

  /** L2 norm. */
  protected static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  /** Asserts that every component of {@code actual} is within {@code tolerance} of expected. */
  protected static void assertClose(float[] actual, float[] expected, double tolerance) {
    assertThat(actual).hasSameSizeAs(expected);
    int worst = 0;
    for (int i = 1; i < actual.length; i++) {
      if (Math.abs(actual[i] - expected[i]) > Math.abs(actual[worst] - expected[worst])) {
        worst = i;
      }
    }
    if (actual.length > 0) {
      assertThat((double) actual[worst])
          .as("component %d (the one furthest off)", worst)
          .isCloseTo(expected[worst], within(tolerance));
    }
  }
}
