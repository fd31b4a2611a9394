package io.docpipe.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.DeleteReport;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.in.SearchReport;
import io.docpipe.core.port.out.VectorStoreException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The API's mapping and validation, over use cases that record what they were asked. */
class DocpipeHttpApiTest {

  static final ObjectMapper JSON = new ObjectMapper();

  final List<IngestCommand> ingested = new ArrayList<>();
  final AtomicReference<SearchCommand> searched = new AtomicReference<>();
  final List<DocumentId> deleted = new ArrayList<>();
  RuntimeException searchFailure;

  final DocpipeHttpApi api =
      new DocpipeHttpApi(
          command -> {
            ingested.add(command);
            List<DocumentOutcome> outcomes = new ArrayList<>();
            for (IngestRequest r : command.documents()) {
              outcomes.add(
                  r.documentId().value().startsWith("bad")
                      ? new DocumentOutcome.Failed(r.documentId(), FailureReason.EMPTY, "no text")
                      : new DocumentOutcome.Indexed(r.documentId(), 2));
            }
            return new IngestReport(outcomes, 2L * outcomes.size());
          },
          command -> {
            searched.set(command);
            if (searchFailure != null) {
              throw searchFailure;
            }
            DocumentId id = DocumentId.of("a.md");
            return new SearchReport(
                List.of(
                    new SearchHit(
                        PointId.of(id, 1),
                        0.75,
                        new PointPayload(
                            id,
                            ContentHash.of(new byte[] {1}),
                            1,
                            "chunk text",
                            0,
                            10,
                            "inline:a.md",
                            Map.of("team", "sec")))));
          },
          command -> {
            deleted.addAll(command.documents());
            return new DeleteReport(
                command.documents().stream()
                    .map(
                        id ->
                            (DocumentOutcome)
                                new DocumentOutcome.Deleted(id, !id.value().startsWith("new")))
                    .toList());
          },
          new ApiLimits(4096, 3, 50));

  ApiResponse post(String path, String body) {
    return api.handle(
        new ApiRequest(
            "POST",
            path,
            Map.of("Content-Type", "application/json"),
            body.getBytes(StandardCharsets.UTF_8)));
  }

  static JsonNode json(ApiResponse response) throws Exception {
    return JSON.readTree(response.body());
  }

  static void assertProblem(ApiResponse response, int status, String slug) throws Exception {
    assertThat(response.status()).as(response.bodyText()).isEqualTo(status);
    assertThat(response.contentType()).isEqualTo("application/problem+json");
    JsonNode body = json(response);
    assertThat(body.get("type").asText()).isEqualTo("https://docpipe.io/problems/" + slug);
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("title").asText()).isNotBlank();
    assertThat(body.get("detail").asText()).isNotBlank();
  }

  @Test
  void ingestMapsInlineAndUriDocumentsAndReportsEachOutcome() throws Exception {
    ApiResponse response =
        post(
            "/v1/documents",
            """
            {"documents":[
              {"id":"a.md","text":"# Keys","mediaType":"text/markdown","metadata":{"team":"sec"}},
              {"id":"b.txt","uri":"s3://bucket/b.txt"},
              {"id":"bad.txt","text":""}]}
            """);

    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    assertThat(response.contentType()).isEqualTo("application/json");
    IngestCommand command = ingested.getFirst();
    assertThat(command.documents()).hasSize(3);
    var inline = (IngestRequest.Inline) command.documents().get(0);
    assertThat(inline.document().mediaType()).isEqualTo("text/markdown");
    assertThat(inline.document().metadata()).containsEntry("team", "sec");
    assertThat(new String(inline.document().content().toByteArray(), StandardCharsets.UTF_8))
        .isEqualTo("# Keys");
    var fetch = (IngestRequest.Fetch) command.documents().get(1);
    assertThat(fetch.ref().location()).isEqualTo(URI.create("s3://bucket/b.txt"));

    JsonNode body = json(response);
    assertThat(body.get("indexed").asInt()).isEqualTo(2);
    assertThat(body.get("failed").asInt()).isEqualTo(1);
    assertThat(body.get("chunksEmbedded").asLong()).isEqualTo(6);
    assertThat(body.get("results").get(0).get("status").asText()).isEqualTo("indexed");
    assertThat(body.get("results").get(0).get("chunks").asInt()).isEqualTo(2);
    JsonNode failed = body.get("results").get(2);
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    assertThat(failed.get("reason").asText()).isEqualTo("EMPTY");
    assertThat(failed.get("retriable").asBoolean()).isFalse();
    assertThat(failed.has("chunks")).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{}|'documents' is required",
        "{\"documents\":[]}|is empty",
        "{\"documents\":[{\"text\":\"x\"}]}|documents[0].id is required",
        "{\"documents\":[{\"id\":\"a\"}]}|exactly one of 'text'",
        "{\"documents\":[{\"id\":\"a\",\"text\":\"x\",\"uri\":\"s3://b/k\"}]}|exactly one of 'text'",
        "{\"documents\":[{\"id\":\"a\",\"uri\":\"relative/path\"}]}|absolute URI",
        "{\"documents\":[{\"id\":\"a\",\"uri\":\"s3://b/k\",\"mediaType\":\"text/plain\"}]}|inline text only",
        "{\"documents\":[{\"id\":\"a\",\"text\":\"x\"},{\"id\":\"a\",\"text\":\"y\"}]}|appears twice",
        "{\"documents\":[{\"id\":\"a\",\"text\":\"x\",\"colour\":\"red\"}]}|unknown field 'colour'",
        "{\"documents\":[{\"id\":5,\"text\":\"x\"}]}|documents[0].id",
        "{\"documents\":[{\"id\":\"a\",\"text\":\"x\",\"metadata\":{\"bad key!\":\"v\"}}]}|metadata key",
        "{\"documents\":[{\"id\":\"a\",\"text\":\"x\",\"metadata\":{\"k\":1}}]}|metadata.k",
        "{\"documents\":{\"id\":\"a\"}}|'documents'",
        "{\"documents\":[null]}|documents[0] is null",
        "[1,2]|expected an object",
        "null|not null",
      })
  void ingestRejectsInvalidBodiesNamingTheField(String body, String detail) throws Exception {
    ApiResponse response = post("/v1/documents", body);

    assertProblem(response, 400, "invalid-request");
    assertThat(json(response).get("detail").asText()).contains(detail);
    assertThat(ingested).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{", "{\"documents\":[}", "{} {}", "{\"a\":1,\"a\":2}", "  ", "nope"})
  void malformedJsonIsA400(String body) throws Exception {
    assertProblem(post("/v1/documents", body), 400, "malformed-json");
    assertProblem(post("/v1/search", body), 400, "malformed-json");
    assertThat(ingested).isEmpty();
  }

  @Test
  void searchWithSnippetChars_returnsEachHitsTextCutToThatSize() throws Exception {
    ApiResponse cut = post("/v1/search", "{\"query\":\"q\",\"snippetChars\":5}");
    ApiResponse whole = post("/v1/search", "{\"query\":\"q\"}");

    assertThat(cut.status()).isEqualTo(200);
    assertThat(json(cut).get("hits").get(0).get("text").asText()).isEqualTo("chunk");
    assertThat(json(whole).get("hits").get(0).get("text").asText()).isEqualTo("chunk text");
    assertProblem(
        post("/v1/search", "{\"query\":\"q\",\"snippetChars\":0}"), 400, "invalid-request");
  }

  @Test
  void invalidUtf8IsA400() throws Exception {
    byte[] body = {'{', '"', 'q', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    ApiResponse response = api.handle(new ApiRequest("POST", "/v1/search", Map.of(), body));

    assertProblem(response, 400, "malformed-json");
    assertThat(json(response).get("detail").asText()).contains("UTF-8").contains("byte offset 6");
  }

  @Test
  void deeplyNestedJsonIsRefusedNotRecursed() throws Exception {
    String body = "{\"filter\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
    ApiResponse response = api.search(body.getBytes(StandardCharsets.UTF_8));
    assertThat(response.status()).isIn(400, 413);
  }

  @Test
  void oversizedBodiesAre413BeforeParsing() throws Exception {
    String big = "{\"query\":\"" + "x".repeat(5000) + "\"}";

    assertProblem(post("/v1/search", big), 413, "payload-too-large");
    assertProblem(post("/v1/documents", big), 413, "payload-too-large");
    assertThat(searched.get()).isNull();
  }

  @Test
  void tooManyDocumentsIs413() throws Exception {
    ApiResponse response =
        post(
            "/v1/documents",
            "{\"documents\":[{\"id\":\"1\",\"text\":\"x\"},{\"id\":\"2\",\"text\":\"x\"},"
                + "{\"id\":\"3\",\"text\":\"x\"},{\"id\":\"4\",\"text\":\"x\"}]}");

    assertProblem(response, 413, "too-many-documents");
    assertThat(json(response).get("detail").asText()).contains("limit is 3");
  }

  @Test
  void searchMapsQueryFilterAndScoreAndReturnsHits() throws Exception {
    ApiResponse response =
        post(
            "/v1/search",
            "{\"query\":\"rotate keys\",\"k\":5,\"filter\":{\"team\":\"sec\",\"lang\":[\"en\",\"de\"]},"
                + "\"minScore\":0.3,\"perChunk\":true,\"mode\":\"dense\"}");

    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    SearchCommand command = searched.get();
    assertThat(command.mode()).isEqualTo(io.docpipe.core.port.in.RetrievalMode.dense());
    assertThat(command.query()).isEqualTo("rotate keys");
    assertThat(command.k()).isEqualTo(5);
    assertThat(command.minScore()).isEqualTo(0.3);
    assertThat(command.onePerDocument()).isFalse();
    assertThat(command.filter())
        .isEqualTo(
            MetadataFilter.of(
                MetadataFilter.anyOf("lang", "de", "en"), MetadataFilter.eq("team", "sec")));
    JsonNode hit = json(response).get("hits").get(0);
    assertThat(hit.get("documentId").asText()).isEqualTo("a.md");
    assertThat(hit.get("score").asDouble()).isEqualTo(0.75);
    assertThat(hit.get("chunkIndex").asInt()).isEqualTo(1);
    assertThat(hit.get("text").asText()).isEqualTo("chunk text");
    assertThat(hit.get("metadata").get("team").asText()).isEqualTo("sec");
  }

  @Test
  void searchDefaultsToTenDocuments() {
    assertThat(post("/v1/search", "{\"query\":\"q\"}").status()).isEqualTo(200);
    assertThat(searched.get().k()).isEqualTo(10);
    assertThat(searched.get().onePerDocument()).isTrue();
    assertThat(searched.get().filter().isEmpty()).isTrue();
    assertThat(searched.get().mode()).isEqualTo(io.docpipe.core.port.in.RetrievalMode.DEFAULT);
  }

  @Test
  void searchTakesTheRetrievalMode() {
    for (String mode : List.of("dense", "lexical", "hybrid", "hybrid:1:0.5")) {
      ApiResponse response = post("/v1/search", "{\"query\":\"q\",\"mode\":\"" + mode + "\"}");
      assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
      assertThat(searched.get().mode().label()).isEqualTo(mode);
    }
  }

  @Test
  void theDefaultKNeverExceedsTheServicesMaximum() {
    DocpipeHttpApi narrow =
        new DocpipeHttpApi(
            command -> new IngestReport(List.of(), 0),
            command -> {
              searched.set(command);
              return new SearchReport(List.of());
            },
            command -> new DeleteReport(List.of()),
            new ApiLimits(4096, 3, 5));

    ApiResponse response = narrow.search("{\"query\":\"q\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    assertThat(searched.get().k()).isEqualTo(5);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "{}|'query' is required",
        "{\"query\":\"  \"}|blank",
        "{\"query\":\"q\",\"k\":0}|'k' must be in [1, 50]",
        "{\"query\":\"q\",\"k\":51}|'k' must be in [1, 50]",
        "{\"query\":\"q\",\"k\":\"10\"}|'k'",
        "{\"query\":\"q\",\"k\":2.5}|'k'",
        "{\"query\":\"q\",\"minScore\":2}|minScore",
        "{\"query\":\"q\",\"mode\":\"sparse\"}|dense, lexical or hybrid",
        "{\"query\":\"q\",\"mode\":\"hybrid:1\"}|hybrid:DENSE:LEXICAL",
        "{\"query\":\"q\",\"mode\":\"lexical\",\"minScore\":0.5}|lexical mode has none",
        "{\"query\":\"q\",\"filter\":{\"team\":1}}|filter 'team'",
        "{\"query\":\"q\",\"filter\":{\"team\":[]}}|filter 'team'",
        "{\"query\":\"q\",\"filter\":{\"team\":[1]}}|must be a string",
        "{\"query\":\"q\",\"filter\":{\"bad key\":\"x\"}}|metadata key",
        "{\"query\":\"q\",\"perChunk\":\"yes\"}|'perChunk'",
        "{\"query\":\"q\",\"top\":3}|unknown field 'top'",
      })
  void searchRejectsInvalidBodies(String body, String detail) throws Exception {
    ApiResponse response = post("/v1/search", body);

    assertProblem(response, 400, "invalid-request");
    assertThat(json(response).get("detail").asText()).contains(detail);
    assertThat(searched.get()).isNull();
  }

  @Test
  void aStoreThatIsDownIsA503WithRetryAfter() throws Exception {
    searchFailure = new VectorStoreException("connection refused", true);

    ApiResponse response = post("/v1/search", "{\"query\":\"q\"}");

    assertProblem(response, 503, "unavailable");
    assertThat(response.headers()).containsEntry("Retry-After", "1");
  }

  @Test
  void anUnexpectedFailureIsA500WithoutInternals() throws Exception {
    searchFailure = new IllegalStateException("secret internal state");

    ApiResponse response = post("/v1/search", "{\"query\":\"q\"}");

    assertProblem(response, 500, "internal");
    assertThat(response.bodyText()).doesNotContain("secret internal state");
  }

  @Test
  void deleteDecodesThePathSegment() throws Exception {
    ApiResponse response =
        api.handle(ApiRequest.of("DELETE", "/v1/documents/dir%2Fa%20b+c%C3%A9.md", new byte[0]));

    assertThat(response.status()).as(response.bodyText()).isEqualTo(200);
    assertThat(deleted).containsExactly(DocumentId.of("dir/a b+cé.md"));
    JsonNode body = json(response);
    assertThat(body.get("id").asText()).isEqualTo("dir/a b+cé.md");
    assertThat(body.get("deleted").asBoolean()).isTrue();
    assertThat(body.get("existed").asBoolean()).isTrue();
  }

  @Test
  void deletingAnUnknownDocumentSaysItDidNotExist() throws Exception {
    ApiResponse response = api.handle(ApiRequest.of("DELETE", "/v1/documents/new.md", new byte[0]));

    assertThat(json(response).get("existed").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"/v1/documents/a/b", "/v1/documents/%ZZ", "/v1/documents/%01"})
  void deleteRejectsBadIds(String path) throws Exception {
    assertProblem(api.handle(ApiRequest.of("DELETE", path, new byte[0])), 400, "invalid-request");
    assertThat(deleted).isEmpty();
  }

  @Test
  void unknownRoutesAndMethodsAreProblems() throws Exception {
    assertProblem(api.handle(ApiRequest.of("GET", "/v2/search", new byte[0])), 404, "not-found");
    ApiResponse wrongMethod = api.handle(ApiRequest.of("GET", "/v1/search", new byte[0]));
    assertProblem(wrongMethod, 405, "method-not-allowed");
    assertThat(wrongMethod.headers()).containsEntry("Allow", "POST");
    assertProblem(
        api.handle(ApiRequest.of("POST", "/v1/documents/a.md", new byte[0])),
        405,
        "method-not-allowed");
  }

  @Test
  void nonJsonContentTypeIs415() throws Exception {
    ApiResponse response =
        api.handle(
            new ApiRequest(
                "POST",
                "/v1/search",
                Map.of("content-type", "text/plain"),
                "{}".getBytes(StandardCharsets.UTF_8)));

    assertProblem(response, 415, "unsupported-media-type");
  }

  @Test
  void everyProblemTypeHasAStableDistinctUri() {
    assertThat(ProblemType.MALFORMED_JSON.uri())
        .isEqualTo(URI.create("https://docpipe.io/problems/malformed-json"));
    assertThat(
            java.util.Arrays.stream(ProblemType.values()).map(ProblemType::uri).distinct().count())
        .isEqualTo(ProblemType.values().length);
  }

  /** Reads a request body. */
  @FunctionalInterface
  interface BodyReader {
    Object read(byte[] body) throws ApiProblemException;
  }

  /** What {@code reader} gives for {@code body}: the body, or the problem it reports. */
  private static Object outcome(BodyReader reader, String body) {
    try {
      return reader.read(body.getBytes(StandardCharsets.UTF_8));
    } catch (ApiProblemException e) {
      return e.problem();
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"query\":\"q\"}",
        "{\"query\":\"q\",\"k\":3,\"mode\":\"dense\",\"perChunk\":true,\"snippetChars\":40}",
        "{\"query\":\"q\",\"minScore\":0.25}",
        "{\"query\":\"q\",\"minScore\":1}",
        "{\"query\":\"q\",\"minScore\":10000000000}",
        "{\"query\":\"q\",\"minScore\":1e400}",
        "{\"query\":\"q\",\"minScore\":123456789012345678901234567890}",
        "{\"query\":\"q\",\"filter\":{\"team\":\"sec\",\"lang\":[\"en\",\"de\"],\"x\":null}}",
        "{\"query\":\"q\",\"filter\":{}}",
        "{\"query\":null,\"k\":null,\"filter\":null,\"minScore\":null,\"perChunk\":null,"
            + "\"snippetChars\":null,\"mode\":null}",
        "{}",
        "{\"query\":\"q\",\"k\":\"10\"}",
        "{\"query\":\"q\",\"k\":2.5}",
        "{\"query\":\"q\",\"k\":10000000000}",
        "{\"query\":\"q\",\"k\":-1}",
        "{\"query\":7}",
        "{\"query\":[\"q\"]}",
        "{\"query\":\"q\",\"mode\":false}",
        "{\"query\":\"q\",\"minScore\":\"0.5\"}",
        "{\"query\":\"q\",\"minScore\":true}",
        "{\"query\":\"q\",\"perChunk\":\"yes\"}",
        "{\"query\":\"q\",\"perChunk\":1}",
        "{\"query\":\"q\",\"filter\":[]}",
        "{\"query\":\"q\",\"filter\":\"team\"}",
        "{\"query\":\"q\",\"top\":3}",
        "{\"query\":\"q\",\"query\":\"r\"}",
        "{\"query\":\"q\"} {}",
        "{\"query\":\"q\"",
        "null",
        "[]",
        "\"q\"",
        "   ",
      })
  void aSearchBodyReadsAsTheTypedReadReadsIt_orFailsWithItsProblem(String body) {
    Object typed = outcome(b -> Json.read(b, io.docpipe.api.json.SearchBody.class), body);
    Object read = outcome(Json::readSearch, body);

    assertThat(read).isEqualTo(typed);
  }

  @Test
  void theSearchAnswerIsTheBytesOfItsRecords() {
    DocumentId a = DocumentId.of("a.md");
    DocumentId b = DocumentId.of("dir/\u00e9t\u00e9 \"b\".md");
    SearchReport report =
        new SearchReport(
            List.of(
                new SearchHit(
                    PointId.of(a, 0),
                    0.1 + 0.2,
                    new PointPayload(
                        a,
                        ContentHash.of(new byte[] {1}),
                        0,
                        "line one\nline \"two\" \u2028 \ud83d\ude00",
                        0,
                        30,
                        "inline:a.md",
                        Map.of("team", "sec", "lang", "en", "a", "\u00fc"))),
                new SearchHit(
                    PointId.of(b, 7),
                    -1.5e-12,
                    new PointPayload(
                        b,
                        ContentHash.of(new byte[] {2}),
                        7,
                        "x".repeat(50),
                        0,
                        50,
                        "inline:b.md",
                        Map.of()))));
    for (int snippetChars : new int[] {Integer.MAX_VALUE, 4}) {
      List<io.docpipe.api.json.HitBody> hits = new ArrayList<>();
      for (SearchHit hit : report.hits()) {
        hits.add(
            new io.docpipe.api.json.HitBody(
                hit.documentId().value(),
                hit.score(),
                hit.payload().chunkIndex(),
                hit.snippet(snippetChars),
                hit.payload().metadata()));
      }
      byte[] records = StrictJson.write(new io.docpipe.api.json.SearchResponseBody(hits));

      byte[] tree = StrictJson.write(DocpipeHttpApi.searchAnswer(report, snippetChars));

      assertThat(new String(tree, StandardCharsets.UTF_8))
          .isEqualTo(new String(records, StandardCharsets.UTF_8));
    }
  }
}
