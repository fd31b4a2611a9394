package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.chunking.TokenCounter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ids checked by hand against the vocabulary of all-MiniLM-L6-v2's tokenizer.json. */
class BertTokenizerTest {

  private static final int CLS = 101;
  private static final int SEP = 102;
  private static final int UNK = 100;

  private static BertTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = OnnxEmbeddingModel.tokenizer(OnnxSettings.Model.ALL_MINILM_L6_V2);
  }

  @Test
  void wordsAndPunctuation_areSplitAndLowerCased() {
    assertThat(tokenizer.encode("Hello, WORLD!", 256))
        .containsExactly(CLS, 7592, 1010, 2088, 999, SEP);
  }

  @Test
  void unknownWords_areSplitIntoWordPieces_greedilyLongestFirst() {
    assertThat(tokenizer.encode("embeddings tokenization", 256))
        .containsExactly(CLS, 7861, 8270, 4667, 2015, 19204, 3989, SEP);
    assertThat(tokenizer.encode("docpipe", 256)).containsExactly(CLS, 9986, 24548, SEP);
  }

  @Test
  void accents_areStripped_andCjkCharactersStandAlone() {
    assertThat(tokenizer.encode("Café", 256)).containsExactly(CLS, 7668, SEP);
    assertThat(tokenizer.encode("东京Tokyo", 256)).startsWith(CLS).endsWith(SEP);
    assertThat(tokenizer.encode("東京Tokyo", 256)).containsExactly(CLS, 1879, 1755, 5522, SEP);
  }

  @Test
  void unsplittableOrOverlongWords_becomeOneUnknownToken() {
    assertThat(tokenizer.encode("😀", 256)).containsExactly(CLS, UNK, SEP);
    assertThat(tokenizer.encode("hello😀", 256)).containsExactly(CLS, UNK, SEP);
    assertThat(tokenizer.encode("a".repeat(100), 256)).doesNotContain(UNK);
    assertThat(tokenizer.encode("a".repeat(101), 256)).containsExactly(CLS, UNK, SEP);
  }

  @Test
  void controlCharacters_vanish_whitespaceOfAnyKind_splits() {
    assertThat(tokenizer.encode("hel\u0000lo\u200b", 256)).containsExactly(CLS, 7592, SEP);
    assertThat(tokenizer.encode("hello\u00a0world\u3000!", 256))
        .containsExactly(CLS, 7592, 2088, 999, SEP);
  }

  @Test
  void specialTokensInTheText_areKeptWhole() {
    assertThat(tokenizer.encode("[MASK]", 256)).containsExactly(CLS, 103, SEP);
    assertThat(tokenizer.encode("hello[SEP]world", 256)).containsExactly(CLS, 7592, SEP, 2088, SEP);
  }

  @Test
  void longInput_isCutToTheSequenceLength_includingClsAndSep() {
    String text = "hello ".repeat(300);
    int[] ids = tokenizer.encode(text, 256);
    assertThat(ids).hasSize(256);
    assertThat(ids[0]).isEqualTo(CLS);
    assertThat(ids[255]).isEqualTo(SEP);
    assertThat(ids[254]).isEqualTo(7592);
    assertThat(tokenizer.countTokens(text)).isEqualTo(300);
    assertThat(tokenizer.wordPieceIds(text, 10)).hasSize(10);
  }

  @Test
  void countTokens_excludesClsAndSep() {
    assertThat(tokenizer.countTokens("")).isZero();
    assertThat(tokenizer.countTokens("Hello, WORLD!")).isEqualTo(4);
    assertThat(tokenizer.countTokens("Café au lait")).isEqualTo(4); // cafe au lai ##t
  }

  @Test
  void rangeCounts_equalCountingEachSubstring_forEveryRangeOfAwkwardTexts() {
    List<String> texts =
        List.of(
            "Hello, WORLD!  Café\tau\nlait\r\n[MASK] a[SEP]b x\u0000y \u0301e\u0301 ok",
            "東京は 日本の首都です。 İstanbul ΣΊΣΥΦΟΣ \u00a0nbsp\u2003em \u001Cfs 😀x \uD83D y",
            "a".repeat(99) + " " + "b".repeat(101) + " [UNK]nown [PAD] [CLS]",
            "  leading, trailing and  double   spaces  ",
            // Punctuation inside words (counted apart from the runs of letters and digits between,
            // which the word cache keys), runs over the cache's 18 chars and over 100 chars.
            "IL-6/STAT3-mediated (p<0.05), e.g. 3.5±0.2 mg/kg; x.y.z ((cells)), cells, a--b "
                + "immunohistochemistry-based,"
                + "c".repeat(101)
                + ".d");
    for (String text : texts) {
      assertEveryRangeCountsAsItsSubstring(tokenizer, text);
    }
  }

  @Test
  void rangeCounts_withoutCleanText_cutWordsAtVerticalTabAndFormFeed_likeCountingEachSubstring() {
    // No shipped model turns clean text off; then vertical tab and form feed stay in a word and
    // the pre-tokenizer cuts it there, at no token, while punctuation is a token of its own.
    BertTokenizer raw =
        new BertTokenizer(
            new BertTokenizer.Normalization(false, true, false, true),
            Map.of("[UNK]", 0, "[CLS]", 1, "[SEP]", 2, "a", 3, "b", 4, "##b", 5, ",", 6, "ab", 7),
            "##",
            "[UNK]",
            100,
            List.of(),
            1,
            2);
    String text = "ab,b\u000Bab\u000Cxa a,,b abb\u000B\u000C, b";
    assertThat(raw.countTokens("ab\u000Bab")).isEqualTo(2);
    assertThat(raw.countTokens("ab,ab")).isEqualTo(3);
    assertEveryRangeCountsAsItsSubstring(raw, text);
  }

  private static void assertEveryRangeCountsAsItsSubstring(BertTokenizer counter, String text) {
    TokenCounter.Ranges ranges = counter.over(text);
    for (int start = 0; start <= text.length(); start++) {
      for (int end = start; end <= text.length(); end++) {
        assertThat(ranges.countTokens(start, end))
            .as("[%d, %d) of %s", start, end, text)
            .isEqualTo(counter.countTokens(text.substring(start, end)));
      }
    }
  }

  @Test
  void rangeCounts_answerRangesInAnyOrder_andRejectBadRanges() {
    String text = "one two three, four. five";
    TokenCounter.Ranges ranges = tokenizer.over(text);
    assertThat(ranges.countTokens(text.length() - 4, text.length())).isEqualTo(1);
    assertThat(ranges.countTokens(0, 3)).isEqualTo(1);
    assertThat(ranges.countTokens(0, text.length())).isEqualTo(7);
    assertThatThrownBy(() -> ranges.countTokens(3, 2))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> ranges.countTokens(0, text.length() + 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }
}
