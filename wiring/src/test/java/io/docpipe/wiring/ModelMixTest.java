package io.docpipe.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.docpipe.onnx.OnnxSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two shipped ONNX models of the same dimension (384) are never mixed in one index: each store the
 * wiring builds records the model id that wrote it and refuses the other, naming both.
 */
class ModelMixTest {

  private static final String MINILM = OnnxSettings.Model.ALL_MINILM_L6_V2.modelId();
  private static final String BGE = OnnxSettings.Model.BGE_SMALL_EN_V15_Q.modelId();

  @Test
  void luceneIndexOfMiniLm_refusesBge_namingBoth(@TempDir Path dir) {
    DocpipeConfig config =
        DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_INDEX_DIR", dir.toString()));
    assertRefusesTheOtherModel(config);
  }

  @Test
  void qdrantCollectionOfMiniLm_refusesBge_namingBoth() {
    try (QdrantStandIn qdrant = QdrantStandIn.start()) {
      DocpipeConfig config =
          DocpipeConfig.fromEnvironment(
              Map.of(
                  "DOCPIPE_VECTOR_STORE", "qdrant",
                  "DOCPIPE_QDRANT_HOST", qdrant.host(),
                  "DOCPIPE_QDRANT_PORT", String.valueOf(qdrant.port())));
      assertRefusesTheOtherModel(config);
    }
  }

  private static void assertRefusesTheOtherModel(DocpipeConfig config) {
    assertThat(MINILM).isNotEqualTo(BGE);
    try (VectorStore store =
        DocpipeModule.vectorStore(config, new StatedModel(MINILM, 384), Optional.empty())) {
      DocumentId id = DocumentId.of("a");
      ContentHash hash = ContentHash.of("a");
      PointPayload payload = new PointPayload(id, hash, 0, "text", 0, 4, "src", Map.of());
      float[] vector = new float[384];
      vector[0] = 1;
      store.write(
          List.of(
              new DocumentWrite(
                  id, hash, List.of(new Point(payload.pointId(), vector, payload)), 1)));
    }
    assertThatThrownBy(
            () ->
                DocpipeModule.vectorStore(config, new StatedModel(BGE, 384), Optional.empty())
                    .close())
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining(MINILM)
        .hasMessageContaining(BGE);
    try (VectorStore again =
        DocpipeModule.vectorStore(config, new StatedModel(MINILM, 384), Optional.empty())) {
      assertThat(again.count()).isEqualTo(1);
    }
  }
}
