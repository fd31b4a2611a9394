package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.docpipe.core.chunking.Chunker;
import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.chunking.TokenCounter;
import io.docpipe.core.model.Chunk;
import io.docpipe.core.model.DocumentId;
import io.docpipe.testkit.Datasets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The core {@link Chunker} with all-MiniLM-L6-v2's tokenizer cuts every text exactly where the
 * chunker of commit 30840d9 ({@link ReferenceChunker}) did: same spans, texts and token counts, so
 * point ids and content hashes of already indexed documents stay valid. Checked on all of SciFact
 * (from {@code -Ddocpipe.datasets}; skipped without it) and on awkward texts that reach every
 * splitting level.
 */
class ChunkerEquivalenceTest {

  private static final DocumentId DOC = DocumentId.of("doc");

  private static BertTokenizer tokenizer;

  @BeforeAll
  static void load() {
    tokenizer = OnnxEmbeddingModel.tokenizer(OnnxSettings.Model.ALL_MINILM_L6_V2);
  }

  /** What the chunker counts with in production: the model's token counter, by word. */
  private static TokenCounter fastCounter() {
    return tokenizer;
  }

  private static List<String> scifact() {
    Optional<List<String>> docs = ReferenceTexts.scifactDocuments(Integer.MAX_VALUE);
    assumeTrue(docs.isPresent(), () -> Datasets.absence(Datasets.SCIFACT));
    assertThat(docs.get()).hasSizeGreaterThan(5_000);
    return docs.get();
  }

  @Test
  void scifactDocuments_atTheDefaultPolicy_andTruncated() {
    List<String> docs = scifact();
    assertSameChunks(docs, new ChunkingPolicy(254, 32, ChunkingPolicy.Mode.SPLIT));
    assertSameChunks(docs, new ChunkingPolicy(254, 0, ChunkingPolicy.Mode.TRUNCATE));
  }

  @Test
  void scifactDocumentsJoinedIntoLongerOnes_asTheBenchmarkChunksThem() {
    List<String> abstracts = scifact();
    List<String> docs = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String a : abstracts) {
      if (!current.isEmpty()) {
        current.append(docs.size() % 3 == 0 ? "\r\n\r\n" : "\n\n");
      }
      current.append(a);
      if (current.length() >= 6_000) {
        docs.add(current.toString());
        current.setLength(0);
      }
    }
    assertSameChunks(docs, new ChunkingPolicy(256, 32, ChunkingPolicy.Mode.SPLIT));
    assertSameChunks(docs.subList(0, 100), new ChunkingPolicy(128, 64, ChunkingPolicy.Mode.SPLIT));
  }

  @Test
  void smallChunks_reachClauseWordAndCodePointSplitting() {
    List<String> docs = scifact().subList(0, 300);
    assertSameChunks(docs, new ChunkingPolicy(40, 10, ChunkingPolicy.Mode.SPLIT));
    assertSameChunks(docs, new ChunkingPolicy(8, 0, ChunkingPolicy.Mode.SPLIT));
    assertSameChunks(docs, new ChunkingPolicy(8, 4, ChunkingPolicy.Mode.SPLIT));
    assertSameChunks(docs, new ChunkingPolicy(16, 0, ChunkingPolicy.Mode.TRUNCATE));
  }

  @Test
  void awkwardTexts_atEveryLevel() {
    List<String> docs = new ArrayList<>(ReferenceTexts.SENTENCES);
    docs.add(String.join(" ", ReferenceTexts.SENTENCES));
    docs.add(String.join("\n", ReferenceTexts.SENTENCES));
    docs.add(String.join("\r\n\r\n", ReferenceTexts.SENTENCES));
    docs.add(String.join("\t", ReferenceTexts.SENTENCES));
    docs.add("x".repeat(5_000));
    docs.add("supercalifragilistic".repeat(40) + " " + "😀".repeat(300) + " tail");
    docs.add("東京は日本の首都です。".repeat(80) + "我爱北京天安门！天安门上太阳升？".repeat(40));
    docs.add("[MASK] [CLS]x[SEP] a[MASK]b [UNK]nown [PAD]ding ".repeat(60));
    docs.add("control\u0000chars\u001Cand\u001Dseparators\u000Bvertical\u000Cfeed ".repeat(80));
    docs.add("non\u00A0breaking\u2003em\u2028line\u3000ideographic ".repeat(80));
    docs.add("combining \u0301marks e\u0301 a\u0308 \u0301\u0302 after spaces. ".repeat(80));
    docs.add("İstanbul ΣΊΣΥΦΟΣ Straße ǅ ﬁ ".repeat(100));
    docs.add("  \n\n  leading and trailing white space  \n\n ".repeat(60));
    docs.add("a, b; c: d! e? f. ".repeat(200));
    docs.add("\uD83D\uDE00\uD83D".repeat(400)); // a lone high surrogate between pairs
    Random random = new Random(8);
    String alphabet = "ab cdé.,;:!?\n\t\r東😀[MASK]\u0301\u00A0\u001C";
    for (int i = 0; i < 60; i++) {
      StringBuilder sb = new StringBuilder();
      int length = 50 + random.nextInt(3_000);
      for (int j = 0; j < length; j++) {
        sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      docs.add(sb.toString());
    }
    for (ChunkingPolicy policy :
        List.of(
            new ChunkingPolicy(256, 32, ChunkingPolicy.Mode.SPLIT),
            new ChunkingPolicy(24, 8, ChunkingPolicy.Mode.SPLIT),
            new ChunkingPolicy(8, 4, ChunkingPolicy.Mode.SPLIT),
            new ChunkingPolicy(8, 0, ChunkingPolicy.Mode.TRUNCATE),
            new ChunkingPolicy(64, 0, ChunkingPolicy.Mode.TRUNCATE))) {
      assertSameChunks(docs, policy);
    }
  }

  private static void assertSameChunks(List<String> docs, ChunkingPolicy policy) {
    ReferenceChunker reference = new ReferenceChunker(policy, tokenizer::countTokens);
    Chunker chunker = new Chunker(policy, fastCounter());
    long chunks = 0;
    for (int i = 0; i < docs.size(); i++) {
      List<Chunk> expected = reference.chunk(DOC, docs.get(i));
      List<Chunk> actual = chunker.chunk(DOC, docs.get(i));
      assertThat(actual).as("document %d at %s", i, policy).isEqualTo(expected);
      chunks += expected.size();
    }
    assertThat(chunks).as("chunks made at %s", policy).isGreaterThanOrEqualTo(docs.size() / 2);
  }
}
