package io.docpipe.core.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.fakes.WordHashEmbeddingModel;
import io.docpipe.core.model.Chunk;
import io.docpipe.core.model.DocumentId;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  private static final DocumentId DOC = DocumentId.of("doc");
  private final WordHashEmbeddingModel model = new WordHashEmbeddingModel();
  private final TokenCounter tokens = model::countTokens;

  @Test
  void shortText_isOneChunkWithItsExactSpan() {
    Chunker chunker = new Chunker(new ChunkingPolicy(50, 10, ChunkingPolicy.Mode.SPLIT), tokens);
    List<Chunk> chunks = chunker.chunk(DOC, "  Hello world.  ");
    assertThat(chunks)
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.text()).isEqualTo("Hello world.");
              assertThat(c.start()).isEqualTo(2);
              assertThat(c.end()).isEqualTo(14);
              assertThat(c.tokens()).isEqualTo(3);
            });
  }

  @Test
  void blankText_hasNoChunks() {
    assertThat(new Chunker(ChunkingPolicy.defaults(), tokens).chunk(DOC, " \n\t ")).isEmpty();
  }

  @Test
  void paragraphs_areKeptWholeWhenTheyFit() {
    String p1 = "Alpha beta gamma delta.";
    String p2 = "Epsilon zeta eta theta.";
    Chunker chunker = new Chunker(new ChunkingPolicy(8, 0, ChunkingPolicy.Mode.SPLIT), tokens);
    List<Chunk> chunks = chunker.chunk(DOC, p1 + "\n\n" + p2);
    assertThat(chunks).extracting(Chunk::text).containsExactly(p1, p2);
  }

  @Test
  void overlap_repeatsTheTailOfThePreviousChunk() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      text.append("word").append(i).append(' ');
    }
    Chunker chunker = new Chunker(new ChunkingPolicy(20, 5, ChunkingPolicy.Mode.SPLIT), tokens);
    List<Chunk> chunks = chunker.chunk(DOC, text.toString());
    assertThat(chunks.size()).isGreaterThan(5);
    for (int i = 1; i < chunks.size(); i++) {
      Chunk prev = chunks.get(i - 1);
      Chunk next = chunks.get(i);
      assertThat(next.start()).isLessThan(prev.end()).isGreaterThan(prev.start());
      int shared = tokens.countTokens(text.substring(next.start(), prev.end()));
      assertThat(shared).isBetween(1, 5);
    }
  }

  @Test
  void truncateMode_keepsOnlyTheFirstChunk() {
    String text = "one two three four five six seven eight nine ten eleven twelve";
    Chunker chunker = new Chunker(new ChunkingPolicy(8, 0, ChunkingPolicy.Mode.TRUNCATE), tokens);
    assertThat(chunker.chunk(DOC, text))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.text()).isEqualTo("one two three four five six seven eight");
              assertThat(c.tokens()).isEqualTo(8);
            });
  }

  @Test
  void truncateMode_fillsTheBudgetPastSentenceBoundaries() {
    // Two sentences of 6 tokens: the second does not fit whole, but its first words do.
    String text = "alpha beta gamma delta epsilon zeta. eta theta iota kappa lambda mu.";
    Chunker chunker = new Chunker(new ChunkingPolicy(9, 0, ChunkingPolicy.Mode.TRUNCATE), tokens);
    assertThat(chunker.chunk(DOC, text))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.text()).isEqualTo("alpha beta gamma delta epsilon zeta. eta theta");
              assertThat(c.tokens()).isEqualTo(9);
            });
  }

  @Test
  void truncateMode_cutsAWordLongerThanTheBudgetByCodePoints() {
    String text = "\uD83D\uDE00".repeat(20) + " tail";
    Chunker chunker = new Chunker(new ChunkingPolicy(8, 0, ChunkingPolicy.Mode.TRUNCATE), tokens);
    assertThat(chunker.chunk(DOC, text))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.text()).isEqualTo("\uD83D\uDE00".repeat(8));
              assertThat(c.tokens()).isEqualTo(8);
            });
  }

  @Test
  void aRunWithNoBoundary_isCutBetweenCodePoints_neverInsideASurrogatePair() {
    // 40 emoji, each a surrogate pair and one token for the fake counter: no separators at all.
    String text = "\uD83D\uDE00".repeat(40);
    Chunker chunker = new Chunker(new ChunkingPolicy(8, 0, ChunkingPolicy.Mode.SPLIT), tokens);
    List<Chunk> chunks = chunker.chunk(DOC, text);
    assertThat(chunks).hasSize(5);
    chunks.forEach(
        c -> {
          assertThat(c.tokens()).isLessThanOrEqualTo(8);
          assertThat(Character.isLowSurrogate(c.text().charAt(0))).isFalse();
          assertThat(Character.isHighSurrogate(c.text().charAt(c.text().length() - 1))).isFalse();
        });
  }

  @Test
  void policy_rejectsOverlapOverHalfTheChunk() {
    assertThatThrownBy(() -> new ChunkingPolicy(100, 60, ChunkingPolicy.Mode.SPLIT))
        .hasMessageContaining("overlap");
  }

  @Test
  void policy_isCappedToTheModelLimit() {
    assertThat(new ChunkingPolicy(512, 200, ChunkingPolicy.Mode.SPLIT).cappedTo(254))
        .isEqualTo(new ChunkingPolicy(254, 127, ChunkingPolicy.Mode.SPLIT));
  }

  /** Seeded random texts: every property must hold for every one of them. */
  @Test
  void randomTexts_chunksFitCoverEverythingAndKeepExactSpans() {
    long seed = 20261123L;
    Random random = new Random(seed);
    String[] alphabet = {
      "a",
      "b",
      "é",
      "文",
      "\uD83D\uDE00",
      "1",
      " ",
      " ",
      " ",
      "\n",
      "\n\n",
      ". ",
      ", ",
      "; ",
      "\t",
      "-"
    };
    for (int run = 0; run < 2_000; run++) {
      int maxTokens = 8 + random.nextInt(60);
      int overlap = random.nextInt(maxTokens / 2 + 1);
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(600);
      for (int i = 0; i < len; i++) {
        String piece = alphabet[random.nextInt(alphabet.length)];
        // long words sometimes, to force code-point splits
        sb.append(random.nextInt(50) == 0 ? piece.repeat(1 + random.nextInt(80)) : piece);
      }
      String text = sb.toString();
      String context = "seed=" + seed + " run=" + run + " max=" + maxTokens + " overlap=" + overlap;
      Chunker chunker =
          new Chunker(new ChunkingPolicy(maxTokens, overlap, ChunkingPolicy.Mode.SPLIT), tokens);
      List<Chunk> chunks = chunker.chunk(DOC, text);
      boolean[] covered = new boolean[text.length()];
      int previousStart = -1;
      for (int i = 0; i < chunks.size(); i++) {
        Chunk c = chunks.get(i);
        assertThat(c.index()).as(context).isEqualTo(i);
        assertThat(c.text()).as(context).isEqualTo(text.substring(c.start(), c.end())).isNotBlank();
        assertThat(tokens.countTokens(c.text()))
            .as(context)
            .isEqualTo(c.tokens())
            .isLessThanOrEqualTo(maxTokens);
        assertThat(c.start()).as(context).isGreaterThan(previousStart);
        assertThat(
                c.start() > 0
                    && Character.isLowSurrogate(text.charAt(c.start()))
                    && Character.isHighSurrogate(text.charAt(c.start() - 1)))
            .as(context + " chunk starts inside a surrogate pair")
            .isFalse();
        assertThat(
                c.end() < text.length()
                    && Character.isLowSurrogate(text.charAt(c.end()))
                    && Character.isHighSurrogate(text.charAt(c.end() - 1)))
            .as(context + " chunk ends inside a surrogate pair")
            .isFalse();
        previousStart = c.start();
        for (int k = c.start(); k < c.end(); k++) {
          covered[k] = true;
        }
      }
      for (int k = 0; k < text.length(); k++) {
        if (!Character.isWhitespace(text.charAt(k))) {
          assertThat(covered[k]).as(context + " char " + k + " is in no chunk").isTrue();
        }
      }
    }
  }

  @Test
  void fiveMillionCharsWithoutWhiteSpace_giveChunksUnderTheCharCap_whateverTheTokenizerSays() {
    // Like WordPiece: a word of more than 100 chars is one [UNK] token, however long it is.
    TokenCounter unk =
        text -> {
          int count = 0;
          for (String word : text.split("\\s+")) {
            if (!word.isEmpty()) {
              count += word.length() > 100 ? 1 : (word.length() + 3) / 4;
            }
          }
          return count;
        };
    Chunker chunker = new Chunker(ChunkingPolicy.defaults(), unk);
    String run = "x".repeat(2_500_000) + "\uD83D\uDE00".repeat(1_250_000); // no white space

    long start = System.nanoTime();
    List<Chunk> chunks = chunker.chunk(DOC, run);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertThat(chunker.maxChars()).isEqualTo(256 * Chunker.CHARS_PER_TOKEN_CEILING);
    assertThat(chunks)
        .isNotEmpty()
        .allSatisfy(c -> assertThat(c.text().length()).isLessThanOrEqualTo(chunker.maxChars()));
    assertThat(chunks.getLast().end()).isEqualTo(run.length());
    assertThat(chunks)
        .allSatisfy(c -> assertThat(Character.isLowSurrogate(c.text().charAt(0))).isFalse());
    assertThat(millis).as("millis to chunk 5M chars").isLessThan(20_000);
  }
}
