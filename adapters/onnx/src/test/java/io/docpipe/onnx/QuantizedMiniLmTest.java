package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.testkit.EmbeddingModelContract;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The quantized all-MiniLM-L6-v2 ({@code DOCPIPE_ONNX_MODEL=all-minilm-l6-v2-q}). */
class QuantizedMiniLmTest extends EmbeddingModelContract {

  private static OnnxEmbeddingModel quantized;

  @BeforeAll
  static void load() {
    quantized =
        OnnxEmbeddingModel.of(
            new OnnxSettings(32, 2, OnnxSettings.Model.parse("all-minilm-l6-v2-q")));
  }

  @AfterAll
  static void close() {
    quantized.close();
  }

  @Override
  protected EmbeddingModel model() {
    return quantized;
  }

  @Test
  void describesItselfApartFromTheFp32Model() {
    assertThat(quantized.modelId()).isEqualTo("onnx:all-MiniLM-L6-v2-q:256");
    assertThat(quantized.dimension()).isEqualTo(384);
    assertThat(quantized.maxInputTokens()).isEqualTo(254);
  }

  @Test
  void vectorsAreCloseToTheFp32Models_andRankTheSameAnswerFirst() {
    List<String> texts =
        List.of(
            "how do I rotate an API key",
            "Rotate API keys every 90 days; revoke the old key once clients use the new one.",
            "The coffee machine on the third floor is descaled every Wednesday morning.",
            "Restore a dropped table from last night's backup with the point-in-time tool.");
    try (OnnxEmbeddingModel fp32 = OnnxEmbeddingModel.allMiniLmL6V2(new OnnxSettings(32, 1))) {
      List<float[]> exact = fp32.embed(texts);
      List<float[]> approximate = quantized.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(dot(exact.get(i), approximate.get(i))).as("text %d", i).isGreaterThan(0.95);
      }
      float[] query = approximate.get(0);
      assertThat(dot(query, approximate.get(1))).isGreaterThan(dot(query, approximate.get(2)));
      assertThat(dot(query, approximate.get(1))).isGreaterThan(dot(query, approximate.get(3)));
    }
  }

  @Test
  void unknownModelName_isRefusedNamingTheChoices() {
    assertThatThrownBy(() -> OnnxSettings.Model.parse("bge-small"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all-minilm-l6-v2")
        .hasMessageContaining("all-minilm-l6-v2-q");
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
