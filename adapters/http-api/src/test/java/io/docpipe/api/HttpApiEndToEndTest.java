package io.docpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.core.port.out.DocumentSource;
import io.docpipe.core.port.out.IngestionListener;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.service.DeleteDocumentsService;
import io.docpipe.core.service.IngestDocumentsService;
import io.docpipe.core.service.IngestSettings;
import io.docpipe.core.service.SearchDocumentsService;
import io.docpipe.files.LocalFiles;
import io.docpipe.lucene.LuceneVectorStores;
import io.docpipe.onnx.OnnxEmbeddingModel;
import io.docpipe.onnx.OnnxSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API over the real core services, the in-process model and an embedded index. */
class HttpApiEndToEndTest {

  static final ObjectMapper JSON = new ObjectMapper();
  static OnnxEmbeddingModel model;
  static VectorStore store;
  static DocpipeHttpApi api;

  @BeforeAll
  static void start(@TempDir Path dir) {
    model = OnnxEmbeddingModel.allMiniLmL6V2(OnnxSettings.defaults());
    store = LuceneVectorStores.inMemory(model.dimension());
    DocumentSource files = LocalFiles.corpus(dir);
    api =
        new DocpipeHttpApi(
            new IngestDocumentsService(
                files,
                LocalFiles.extractors(),
                model,
                store,
                IngestionListener.NONE,
                IngestSettings.defaults()),
            new SearchDocumentsService(model, store),
            new DeleteDocumentsService(store, IngestionListener.NONE),
            ApiLimits.defaults());
  }

  @AfterAll
  static void stop() {
    store.close();
    model.close();
  }

  static JsonNode call(String method, String path, String body) throws Exception {
    ApiResponse response =
        api.handle(ApiRequest.of(method, path, body.getBytes(StandardCharsets.UTF_8)));
    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void indexSearchReindexAndDelete() throws Exception {
    String documents =
        """
        {"documents":[
          {"id":"keys.md","mediaType":"text/markdown","metadata":{"team":"security"},
           "text":"# Rotating API keys\\n\\nCreate a new key, deploy it, then revoke the old key."},
          {"id":"lunch.txt","metadata":{"team":"office"},
           "text":"The canteen serves lunch from noon until two on weekdays."}]}
        """;

    JsonNode first = call("POST", "/v1/documents", documents);
    assertThat(first.get("indexed").asInt()).isEqualTo(2);
    assertThat(first.get("chunksEmbedded").asLong()).isPositive();

    JsonNode again = call("POST", "/v1/documents", documents);
    assertThat(again.get("unchanged").asInt()).isEqualTo(2);
    assertThat(again.get("chunksEmbedded").asLong()).isZero();

    JsonNode hits = call("POST", "/v1/search", "{\"query\":\"how do I rotate a key\",\"k\":2}");
    assertThat(hits.get("hits").get(0).get("documentId").asText()).isEqualTo("keys.md");
    assertThat(hits.get("hits").get(0).get("metadata").get("team").asText()).isEqualTo("security");

    JsonNode filtered =
        call(
            "POST",
            "/v1/search",
            "{\"query\":\"how do I rotate a key\",\"filter\":{\"team\":[\"office\"]}}");
    assertThat(filtered.get("hits")).hasSize(1);
    assertThat(filtered.get("hits").get(0).get("documentId").asText()).isEqualTo("lunch.txt");

    JsonNode deleted = call("DELETE", "/v1/documents/keys.md", "");
    assertThat(deleted.get("existed").asBoolean()).isTrue();
    JsonNode after = call("POST", "/v1/search", "{\"query\":\"how do I rotate a key\"}");
    assertThat(after.get("hits")).hasSize(1);
    assertThat(after.get("hits").get(0).get("documentId").asText()).isEqualTo("lunch.txt");
  }
}
