package io.docpipe.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.docpipe.qdrant.QdrantSettings;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** DOCPIPE_VECTOR_STORE=qdrant: validated settings, and a working store against the stand-in. */
class QdrantWiringTest {

  private static final EmbeddingModel FOUR_DIMENSIONS = StatedModel.FOUR_DIMENSIONS;

  @Test
  void qdrantConfig_buildsAStoreThatWritesAndSearches_withTheApiKey() {
    try (QdrantStandIn qdrant = QdrantStandIn.start("wiring-key")) {
      Map<String, String> env = new HashMap<>();
      env.put("DOCPIPE_VECTOR_STORE", "qdrant");
      env.put("DOCPIPE_QDRANT_HOST", qdrant.host());
      env.put("DOCPIPE_QDRANT_PORT", String.valueOf(qdrant.port()));
      env.put("DOCPIPE_QDRANT_API_KEY", "wiring-key");
      env.put("DOCPIPE_QDRANT_COLLECTION", "wired");
      env.put("DOCPIPE_QDRANT_UPSERT_BATCH", "64");
      env.put("DOCPIPE_QDRANT_INDEXED_METADATA", "lang, team");
      DocpipeConfig config = DocpipeConfig.fromEnvironment(env);
      assertThat(config.toString()).doesNotContain("wiring-key");

      try (VectorStore store =
          DocpipeModule.vectorStore(config, FOUR_DIMENSIONS, java.util.Optional.empty())) {
        DocumentId id = DocumentId.of("a");
        var hash = io.docpipe.core.model.ContentHash.of("a");
        PointPayload payload = new PointPayload(id, hash, 0, "text", 0, 4, "src", Map.of());
        store.write(
            List.of(
                new DocumentWrite(
                    id,
                    hash,
                    List.of(new Point(payload.pointId(), new float[] {1, 0, 0, 0}, payload)),
                    1)));
        var hits =
            store.search(
                new VectorQuery(new float[] {1, 0, 0, 0}, 1, MetadataFilter.none(), null, false));
        assertThat(hits).extracting(h -> h.payload()).containsExactly(payload);
      }
      assertThat(qdrant.payloadIndexes("wired")).containsKeys("metadata.lang", "metadata.team");
    }
  }

  @Test
  void defaults_pointAtALocalQdrant() {
    QdrantSettings q =
        DocpipeConfig.fromEnvironment(Map.of("DOCPIPE_VECTOR_STORE", "QDRANT"))
            .qdrant()
            .orElseThrow();
    assertThat(q.host()).isEqualTo("localhost");
    assertThat(q.port()).isEqualTo(6334);
    assertThat(q.useTls()).isFalse();
    assertThat(q.apiKey()).isNull();
    assertThat(q.collection()).isEqualTo("docpipe");
    assertThat(q.upsertBatchSize()).isEqualTo(128);
    assertThat(DocpipeConfig.defaults().qdrant()).isEmpty();
  }

  @Test
  void badQdrantVariables_areAllReportedInOneMessage() {
    Map<String, String> env = new HashMap<>();
    env.put("DOCPIPE_VECTOR_STORE", "qdrant");
    env.put("DOCPIPE_QDRANT_PORT", "70000");
    env.put("DOCPIPE_QDRANT_TLS", "maybe");
    env.put("DOCPIPE_QDRANT_COLLECTION", "no spaces/allowed");
    env.put("DOCPIPE_QDRANT_UPSERT_BATCH", "1000");
    env.put("DOCPIPE_QDRANT_TIMEOUT_SECONDS", "0");
    env.put("DOCPIPE_QDRANT_INDEXED_METADATA", "ok,not ok");
    env.put("DOCPIPE_QDRANT_API_KEY", "do-not-echo");

    assertThatThrownBy(() -> DocpipeConfig.fromEnvironment(env))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("DOCPIPE_QDRANT_PORT")
        .hasMessageContaining("DOCPIPE_QDRANT_TLS")
        .hasMessageContaining("DOCPIPE_QDRANT_COLLECTION")
        .hasMessageContaining("DOCPIPE_QDRANT_UPSERT_BATCH='1000' must be a whole number from 64")
        .hasMessageContaining("DOCPIPE_QDRANT_TIMEOUT_SECONDS")
        .hasMessageContaining("DOCPIPE_QDRANT_INDEXED_METADATA")
        .hasMessageNotContaining("do-not-echo");
  }
}
