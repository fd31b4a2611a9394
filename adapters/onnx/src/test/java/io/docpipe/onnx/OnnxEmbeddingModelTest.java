package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.testkit.EmbeddingModelContract;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEmbeddingModelTest extends EmbeddingModelContract {

  private static OnnxEmbeddingModel model;

  @BeforeAll
  static void load() {
    model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults());
  }

  @AfterAll
  static void close() {
    model.close();
  }

  @Override
  protected EmbeddingModel model() {
    return model;
  }

  @Test
  void describesItself() {
    assertThat(model.modelId()).isEqualTo("onnx:all-MiniLM-L6-v2:256");
    assertThat(model.dimension()).isEqualTo(384);
    assertThat(model.maxInputTokens()).isEqualTo(254);
  }

  @Test
  void blankText_givesTheClsSepVector_finiteAndOfUnitLength() {
    List<float[]> vectors = model.embed(List.of("", "   ", "\n\t\u00a0", "\u0000\u200b"));
    for (float[] vector : vectors) {
      for (float x : vector) {
        assertThat(Float.isFinite(x)).as("finite component").isTrue();
      }
      assertThat(norm(vector)).isCloseTo(1.0, within(1e-5));
      assertClose(vector, vectors.get(0), 1e-6);
    }
    assertThat(model.countTokens("")).isZero();
    assertThat(model.countTokens(" \n\t ")).isZero();
  }

  @Test
  void longText_isCutAt256Positions_likeSentenceTransformers() {
    // Words that are one word piece each, so that word n is token n.
    List<String> words =
        List.of(
            "the",
            "river",
            "flows",
            "past",
            "old",
            "stone",
            "houses",
            "while",
            "children",
            "play",
            "near",
            "green",
            "fields",
            "and",
            "birds",
            "sing",
            "in",
            "tall",
            "trees",
            "today");
    for (String word : words) {
      assertThat(model.countTokens(word)).as("pieces of %s", word).isEqualTo(1);
    }
    Random random = new Random(256);
    List<String> thousand =
        IntStream.range(0, 1000).mapToObj(i -> words.get(random.nextInt(words.size()))).toList();
    String text = String.join(" ", thousand);
    assertThat(model.countTokens(text)).isEqualTo(1000);

    List<float[]> vectors =
        model.embed(
            List.of(
                text,
                String.join(" ", thousand.subList(0, 254)),
                String.join(" ", thousand.subList(0, 255)),
                String.join(" ", thousand.subList(0, 253))));
    float[] full = vectors.get(0);
    assertClose(vectors.get(1), full, 1e-5); // the first 254 pieces are exactly what is read
    assertClose(vectors.get(2), full, 1e-5); // the 255th piece is already cut
    assertThat(Vectors.maxAbsDifference(vectors.get(3), full))
        .as("the 254th piece still counts")
        .isGreaterThan(1e-4);
  }

  @Test
  void largeBatch_sortedByLengthInternally_matchesOneByOne_inTheCallersOrder() {
    List<String> texts = variedTexts(40, 7L); // two sub-batches of up to 32, lengths mixed
    List<float[]> batch = model.embed(texts);
    assertThat(batch).hasSize(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      float[] single = model.embed(List.of(texts.get(i))).get(0);
      assertThat(Vectors.maxAbsDifference(batch.get(i), single))
          .as("text %d: %s", i, texts.get(i))
          .isLessThanOrEqualTo(1e-5);
    }
  }

  @Test
  void batchesRunSideBySide_andCutByLength_matchEachTextEmbeddedAlone_within1e6() {
    List<String> texts = new ArrayList<>(variedTexts(60, 21L));
    texts.add("short");
    texts.add(String.join(" ", ReferenceTexts.SENTENCES)); // past 256 positions: cut
    // Three runs side by side (more than the processors here) in batches of up to 5 texts.
    try (OnnxEmbeddingModel parallel = OnnxEmbeddingModel.allMiniLmL6V2(new OnnxSettings(5, 3))) {
      List<float[]> together = parallel.embed(texts);
      assertThat(together).hasSize(texts.size());
      for (int i = 0; i < texts.size(); i++) {
        float[] alone = model.embed(List.of(texts.get(i))).get(0);
        assertThat(Vectors.maxAbsDifference(together.get(i), alone))
            .as("text %d: %s", i, texts.get(i))
            .isLessThanOrEqualTo(1e-6);
      }
    }
  }

  @Test
  void batches_holdTextsOfNearlyEqualLength_paddedByAtMostASixteenth() {
    // Longest first, as the model sorts them: 130 and 122 share (8 * 16 <= 130), 121 does not;
    // 100 and 99 share, 93 does not (7 * 16 > 100).
    int[] lengths = {130, 130, 122, 121, 100, 99, 93, 10, 10, 9, 3};
    assertThat(OnnxEmbeddingModel.batchStarts(lengths, 32))
        .containsExactly(0, 3, 4, 6, 7, 9, 10, 11);
    // The caps still hold: at most maxBatchSize texts, at most 1,024 padded positions.
    int[] equal = new int[20];
    java.util.Arrays.fill(equal, 200);
    assertThat(OnnxEmbeddingModel.batchStarts(equal, 32)).containsExactly(0, 5, 10, 15, 20);
    java.util.Arrays.fill(equal, 8);
    assertThat(OnnxEmbeddingModel.batchStarts(equal, 8)).containsExactly(0, 8, 16, 20);
    assertThat(OnnxEmbeddingModel.batchStarts(new int[] {300}, 32)).containsExactly(0, 1);
  }

  @Test
  void aTextAlone_andInCallsOfEverySize_getsTheSameVector_inTheCallersOrder() {
    // Lengths that batch together (equal, or a few pieces apart) and lengths that do not.
    List<String> texts = new ArrayList<>(variedTexts(30, 5L));
    texts.add("The quick brown fox jumps over the lazy dog.");
    texts.add("The quick brown cat jumps over the lazy dog.");
    texts.add("The quick brown cat jumps over the lazy dog!!");
    texts.add("The quick brown cat jumps over the very lazy dog.");
    Collections.shuffle(texts, new Random(3));
    List<float[]> alone = texts.stream().map(t -> model.embed(List.of(t)).get(0)).toList();
    for (int size : new int[] {4, 16, texts.size()}) {
      for (int from = 0; from < texts.size(); from += size) {
        int to = Math.min(texts.size(), from + size);
        List<float[]> together = model.embed(texts.subList(from, to));
        assertThat(together).hasSize(to - from);
        for (int i = from; i < to; i++) {
          assertThat(Vectors.maxAbsDifference(together.get(i - from), alone.get(i)))
              .as("text %d in a call of %d: %s", i, size, texts.get(i))
              .isLessThanOrEqualTo(1e-6);
        }
      }
    }
  }

  @Test
  void fourThreads_getTheSameVectorsAsSequentialCalls() throws Exception {
    List<String> texts = variedTexts(12, 11L);
    List<float[]> sequential = model.embed(texts);
    List<Future<List<float[]>>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      for (int t = 0; t < 4; t++) {
        results.add(
            pool.submit(
                () -> {
                  List<float[]> all = new ArrayList<>();
                  for (int round = 0; round < 1; round++) {
                    all = model.embed(texts);
                  }
                  return all;
                }));
      }
      for (Future<List<float[]>> result : results) {
        List<float[]> vectors = result.get();
        for (int i = 0; i < texts.size(); i++) {
          assertClose(vectors.get(i), sequential.get(i), 1e-6);
        }
      }
    }
  }

  @Test
  void otherSettings_giveTheSameVectors_andAClosedModelRefusesWork() {
    List<String> texts = variedTexts(10, 3L);
    List<float[]> expected = model.embed(texts);
    OnnxEmbeddingModel small = OnnxEmbeddingModel.allMiniLmL6V2(new OnnxSettings(3, 1));
    try (small) {
      List<float[]> actual = small.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(Vectors.maxAbsDifference(actual.get(i), expected.get(i))).isLessThan(1e-5);
      }
    }
    small.close(); // idempotent
    assertThatThrownBy(() -> small.embed(List.of("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
    assertThat(small.countTokens("still counts")).isEqualTo(2);
  }

  @Test
  void inferenceFailure_isAnEmbeddingException_thatSaysWhatFailed() {
    int[][] outOfVocabulary = {{101, 1_000_000, 102}};
    assertThatThrownBy(() -> model.embedEncoded(outOfVocabulary))
        .isInstanceOf(EmbeddingException.class)
        .hasMessageContaining("ONNX Runtime failed to embed a batch of 1 texts")
        .hasCauseInstanceOf(ai.onnxruntime.OrtException.class)
        .satisfies(e -> assertThat(((EmbeddingException) e).retriable()).isFalse());
  }

  @Test
  void nullText_isRejected() {
    List<String> withNull = new ArrayList<>(List.of("a"));
    withNull.add(null);
    assertThatThrownBy(() -> model.embed(withNull)).isInstanceOf(NullPointerException.class);
  }

  /** Texts from a few words to a few hundred, in a seeded random order. */
  static List<String> variedTexts(int count, long seed) {
    Random random = new Random(seed);
    List<String> pool = new ArrayList<>(ReferenceTexts.SENTENCES);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      int parts = 1 + random.nextInt(i % 10 == 0 ? 12 : 3);
      texts.add(
          IntStream.range(0, parts)
              .mapToObj(p -> pool.get(random.nextInt(pool.size())))
              .collect(Collectors.joining(" ")));
    }
    Collections.shuffle(texts, random);
    return texts;
  }
}
