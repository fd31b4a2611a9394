package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2.AllMiniLmL6V2EmbeddingModel;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our vectors match LangChain4j's independent in-process all-MiniLM-L6-v2 (DJL tokenizer). */
class LangChain4jParityTest {

  static {
    DjlReference.offline();
  }

  private static OnnxEmbeddingModel ours;

  @BeforeAll
  static void load() {
    ours = OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults());
  }

  @AfterAll
  static void close() {
    ours.close();
  }

  @Test
  void referenceSentences_haveCosineAtLeast0999WithLangChain4j() {
    List<String> sentences = ReferenceTexts.SENTENCES;
    assertThat(sentences).hasSizeGreaterThanOrEqualTo(30);
    for (String sentence : sentences) {
      assertThat(ours.countTokens(sentence)).as("tokens of: %s", sentence).isLessThan(126);
    }

    AllMiniLmL6V2EmbeddingModel reference = new AllMiniLmL6V2EmbeddingModel();
    List<Embedding> expected =
        reference.embedAll(sentences.stream().map(TextSegment::from).toList()).content();
    List<float[]> actual = ours.embed(sentences);

    double min = 1;
    String worst = "";
    for (int i = 0; i < sentences.size(); i++) {
      double cosine = Vectors.cosine(actual.get(i), expected.get(i).vector());
      if (cosine < min) {
        min = cosine;
        worst = sentences.get(i);
      }
    }
    System.getLogger(getClass().getName())
        .log(
            System.Logger.Level.INFO,
            "Minimum cosine vs LangChain4j over {0} sentences: {1} ({2})",
            sentences.size(),
            String.format("%.8f", min),
            worst);
    assertThat(min).as("lowest cosine, for: %s", worst).isGreaterThanOrEqualTo(0.999);
  }
}
