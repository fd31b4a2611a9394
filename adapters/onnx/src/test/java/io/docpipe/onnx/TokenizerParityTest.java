package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.docpipe.testkit.Datasets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our pure-Java tokenizer gives the same ids as HuggingFace's (through DJL) on the same file. */
class TokenizerParityTest {

  static {
    DjlReference.offline();
  }

  private static BertTokenizer ours;
  private static HuggingFaceTokenizer reference;

  @BeforeAll
  static void load() {
    ours = OnnxEmbeddingModel.tokenizer(OnnxSettings.Model.ALL_MINILM_L6_V2);
    reference = DjlReference.tokenizer();
  }

  @AfterAll
  static void close() {
    reference.close();
  }

  @Test
  void referenceSentences_giveHuggingFacesIds() {
    assertSameIds(ReferenceTexts.SENTENCES);
  }

  @Test
  void awkwardText_givesHuggingFacesIds() {
    assertSameIds(
        List.of(
            "",
            " ",
            "\t\n\r ",
            "a\u0000b\u0001c\u007fd\u000be\u000cf\u001cg\u0085h",
            "zero\u200bwidth\ufeffbom\u00adsoft\u200dhyphen",
            "replacement\ufffdchar and private\ue000use",
            "ΣΊΣΥΦΟΣ ΟΔΟΣ ΚΑΙ ΤΕΛΟΣ",
            "İstanbul'da IĞDIR ışık İzmir",
            "e\u0301 vs é, n\u0303 vs ñ, a\u030a\u0301",
            "ﬁne ﬂour, ２０２４年, ｈｅｌｌｏ ＷＯＲＬＤ, ㊙, ℌ, Ⅻ",
            "日本語とカタカナとひらがな、漢字。",
            "繁體中文與简体中文 𠀀𠀁 𪜀 豈 丽",
            "ภาษาไทยไม่มีช่องว่าง",
            "עברית ומספרים 123",
            "x".repeat(100) + " " + "y".repeat(101) + " " + "é".repeat(101),
            "tokenization" + "tokenization".repeat(9),
            "a[MASK]b [MASK][MASK] [mask] [ MASK ] [SEP [CLS]] [[UNK]]",
            "$100 + 200 = <300> ^ `code` | ~tilde~ @user #hashtag %50 &amp; *bold* _under_",
            "“Smart quotes” ‘single’ «guillemets» „low“ – en dash — em dash … ellipsis · dot",
            "🏳️‍🌈 👩🏽‍💻 🫠 🥲 🧑‍🚀 ✈︎ ☃ ♥",
            "Mixed: Straße STRASSE ǅ ǈ ǋ ﬀ ﬃ Ωmega ohm Ω"));
  }

  @Test
  void randomText_givesHuggingFacesIds() {
    long seed = 20260101L;
    Random random = new Random(seed);
    String alphabet =
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?'\"()[]{}-_/\\"
            + "éèêëàâäôöûüçñßÆØÅæøå ΑΒΓαβγ ДЖЗджз 日本中文 한국 😀\t\n";
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder sb = new StringBuilder();
      int length = random.nextInt(60);
      for (int j = 0; j < length; j++) {
        int cp =
            alphabet.codePointAt(
                alphabet.offsetByCodePoints(
                    0, random.nextInt(alphabet.codePointCount(0, alphabet.length()))));
        sb.appendCodePoint(cp);
      }
      texts.add(sb.toString());
    }
    assertThat(mismatches(texts)).as("mismatches (seed %d)", seed).isEmpty();
  }

  @Test
  void scifactAbstracts_giveHuggingFacesIds() {
    Optional<List<String>> documents = ReferenceTexts.scifactDocuments(500);
    assumeTrue(documents.isPresent(), () -> Datasets.absence(Datasets.SCIFACT));
    assertThat(documents.get()).hasSize(500);
    assertSameIds(documents.get());
  }

  private static void assertSameIds(List<String> texts) {
    assertThat(mismatches(texts)).isEmpty();
  }

  private static List<String> mismatches(List<String> texts) {
    List<String> mismatches = new ArrayList<>();
    for (String text : texts) {
      long[] expected = reference.encode(text).getIds();
      int[] ids = ours.encode(text, Integer.MAX_VALUE);
      long[] actual = Arrays.stream(ids).asLongStream().toArray();
      if (!Arrays.equals(actual, expected)) {
        mismatches.add(
            "text: "
                + text
                + "\n expected: "
                + Arrays.toString(reference.encode(text).getTokens())
                + "\n "
                + Arrays.toString(expected)
                + "\n actual:   "
                + Arrays.toString(actual));
      } else if (ours.countTokens(text) != expected.length - 2) {
        mismatches.add("countTokens differs for: " + text);
      }
    }
    return mismatches;
  }
}
