package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real service on a random local port, over the real model and a Lucene index. */
class FargateServiceTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path indexDir;

  private static FargateService service;
  private static TestServices.Client client;

  @BeforeAll
  static void start() {
    service =
        TestServices.start(
            indexDir,
            Map.of(
                "DOCPIPE_HTTP_MAX_BODY_BYTES", "65536",
                "DOCPIPE_HTTP_MAX_DOCUMENTS", "20",
                "DOCPIPE_HTTP_MAX_K", "10",
                "DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS", "2"),
            Runnable::run);
    assertThat(service.state()).isEqualTo(Lifecycle.State.READY);
    client = new TestServices.Client(service.port());
    HttpResponse<String> seeded =
        client.post(
            "/v1/documents",
            WRITER,
            """
            {"documents":[
              {"id":"cats.md","text":"Cats are small domesticated carnivorous mammals that purr.","mediaType":"text/markdown","metadata":{"team":"pets"}},
              {"id":"rust.txt","text":"Rust is a systems programming language focused on memory safety.","metadata":{"team":"eng"}}
            ]}""");
    assertThat(seeded.statusCode()).as(seeded.body()).isEqualTo(200);
  }

  @AfterAll
  static void stop() {
    if (service != null) {
      service.close();
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  private static void assertProblem(HttpResponse<String> r, int status, String slug)
      throws Exception {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(json(r).get("type").asText()).isEqualTo("https://docpipe.io/problems/" + slug);
    assertThat(json(r).get("status").asInt()).isEqualTo(status);
  }

  @Test
  void search_findsTheMatchingDocument_withAReadToken() throws Exception {
    HttpResponse<String> r =
        client.post("/v1/search", READER, "{\"query\":\"a pet that purrs\",\"k\":2}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Request-Id")).isPresent();
    JsonNode hits = json(r).get("hits");
    assertThat(hits).isNotEmpty();
    assertThat(hits.get(0).get("documentId").asText()).isEqualTo("cats.md");
  }

  @Test
  void search_withAFilter_onlyReturnsMatchingMetadata() throws Exception {
    HttpResponse<String> r =
        client.post(
            "/v1/search", READER, "{\"query\":\"a pet that purrs\",\"filter\":{\"team\":\"eng\"}}");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(json(r).get("hits")).allMatch(h -> h.get("documentId").asText().equals("rust.txt"));
  }

  @Test
  void requestIdFromTheClient_isEchoed() {
    HttpResponse<String> r =
        client.send(
            client.request("/v1/stats", READER).header("X-Request-Id", "abc-123").GET().build());
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue("abc-123");
  }

  @Test
  void uriDocuments_areFetched_andMetadataAddressesAreRefused() throws Exception {
    Path object = TestServices.s3Mirror(indexDir).resolve("handbook/keys/rotate.md");
    java.nio.file.Files.createDirectories(object.getParent());
    java.nio.file.Files.writeString(
        object, "# Rotating keys\n\nCreate the new key first, then revoke the old one.");

    HttpResponse<String> r =
        client.post(
            "/v1/documents",
            WRITER,
            """
            {"documents":[
              {"id":"keys/rotate.md","uri":"s3://handbook/keys/rotate.md"},
              {"id":"imds","uri":"https://169.254.169.254/latest/meta-data/"}]}""");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode results = json(r).get("results");
    assertThat(results.get(0).get("status").asText()).isEqualTo("indexed");
    assertThat(results.get(1).get("status").asText()).isEqualTo("failed");
    assertThat(results.get(1).get("reason").asText()).isEqualTo("INVALID_INPUT");
    HttpResponse<String> hits =
        client.post("/v1/search", READER, "{\"query\":\"revoke the old key\",\"k\":1}");
    assertThat(json(hits).get("hits").get(0).get("documentId").asText())
        .isEqualTo("keys/rotate.md");
  }

  @Test
  void delete_removesADocument_andReportsWhetherItExisted() throws Exception {
    client.post(
        "/v1/documents",
        WRITER,
        "{\"documents\":[{\"id\":\"to delete/1\",\"text\":\"temporary words\"}]}");
    HttpResponse<String> first = client.delete("/v1/documents/to%20delete%2F1", WRITER);
    assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
    assertThat(json(first).get("id").asText()).isEqualTo("to delete/1");
    assertThat(json(first).get("existed").asBoolean()).isTrue();
    HttpResponse<String> again = client.delete("/v1/documents/to%20delete%2F1", WRITER);
    assertThat(json(again).get("existed").asBoolean()).isFalse();
  }

  @Test
  void largeBatch_becomesAJob_thatFinishes() throws Exception {
    HttpResponse<String> accepted =
        client.post(
            "/v1/documents", WRITER, TestServices.documentsBody(5, "job-", "Job document number "));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String location = accepted.headers().firstValue("Location").orElseThrow();
    assertThat(location).isEqualTo("/v1/jobs/" + json(accepted).get("id").asText());
    assertThat(json(accepted).get("status").asText()).isIn("queued", "running");
    assertThat(
            Poll.until(
                Duration.ofSeconds(60),
                () -> client.get(location, READER).body().contains("\"status\":\"succeeded\"")))
        .isTrue();
    JsonNode job = json(client.get(location, READER));
    assertThat(job.get("status").asText()).isEqualTo("succeeded");
    assertThat(job.get("result").get("indexed").asInt()).isEqualTo(5);
    assertProblem(client.get("/v1/jobs/no-such-job", READER), 404, "not-found");
  }

  @Test
  void stats_countPointsAndNameTheModel() throws Exception {
    HttpResponse<String> r = client.get("/v1/stats", READER);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).get("points").asLong()).isPositive();
    assertThat(json(r).get("dimension").asInt()).isEqualTo(384);
    assertThat(json(r).get("model").asText()).contains("bge-small-en-v1.5-q");
  }

  @Test
  void auth_missingOrUnknownTokenIs401_readTokenWritingIs403() throws Exception {
    HttpResponse<String> none = client.post("/v1/search", null, "{\"query\":\"x\"}");
    assertProblem(none, 401, "unauthorized");
    assertThat(none.headers().firstValue("WWW-Authenticate"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
    HttpResponse<String> basic =
        client.send(
            client
                .request("/v1/stats")
                .header("Authorization", "Basic dXNlcjpwYXNz")
                .GET()
                .build());
    assertProblem(basic, 401, "unauthorized");
    assertProblem(client.get("/v1/stats", "wrong-token-0123456789"), 401, "unauthorized");
    HttpResponse<String> forbidden = client.delete("/v1/documents/cats.md", READER);
    assertProblem(forbidden, 403, "forbidden");
    assertThat(forbidden.headers().firstValue("WWW-Authenticate").orElseThrow())
        .contains("insufficient_scope");
    assertProblem(client.post("/v1/documents", READER, "{\"documents\":[]}"), 403, "forbidden");
  }

  @Test
  void healthIsOpen_andReady() {
    assertThat(client.get("/health/live", null).statusCode()).isEqualTo(200);
    HttpResponse<String> ready = client.get("/health/ready", null);
    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
    assertThat(client.get("/openapi", null).statusCode()).isEqualTo(200);
  }

  @Test
  void clientErrors_areProblemsWithStableTypes() throws Exception {
    assertProblem(client.post("/v1/search", READER, "{\"query\":"), 400, "malformed-json");
    assertProblem(
        client.post("/v1/search", READER, new byte[] {'{', (byte) 0xC3, '}'}),
        400,
        "malformed-json");
    assertProblem(
        client.post("/v1/search", READER, "{\"query\":\"x\",\"k\":11}"), 400, "invalid-request");
    assertProblem(
        client.post("/v1/search", READER, "{\"query\":\"x\",\"extra\":1}"), 400, "invalid-request");
    assertProblem(
        client.post("/v1/documents", WRITER, "{\"documents\":[{\"id\":\"a\"}]}"),
        400,
        "invalid-request");
    assertProblem(
        client.post("/v1/documents", WRITER, TestServices.documentsBody(21, "m", "t")),
        413,
        "too-many-documents");
    HttpResponse<String> xml =
        client.send(
            client
                .request("/v1/search", READER)
                .header("Content-Type", "application/xml")
                .POST(HttpRequest.BodyPublishers.ofString("<q/>"))
                .build());
    assertProblem(xml, 415, "unsupported-media-type");
    assertProblem(client.get("/v1/nothing-here", READER), 404, "not-found");
    HttpResponse<String> wrongMethod = client.get("/v1/search", READER);
    assertProblem(wrongMethod, 405, "method-not-allowed");
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("POST");
  }

  @Test
  void bodyOverTheLimit_is413_beforeItIsParsed() throws Exception {
    byte[] big = new byte[65537];
    java.util.Arrays.fill(big, (byte) 'x');
    assertProblem(client.post("/v1/search", READER, big), 413, "payload-too-large");
    // Without Content-Length (chunked): counted while reading.
    HttpResponse<String> chunked =
        client.send(
            client
                .request("/v1/documents", WRITER)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big)))
                .build());
    assertProblem(chunked, 413, "payload-too-large");
  }

  @Test
  void metrics_scrapeParses_andCountsWhatHappened() throws Exception {
    client.post("/v1/search", READER, "{\"query\":\"memory safety\"}");
    HttpResponse<String> r = client.get("/metrics", null);
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/plain");
    PrometheusText scrape = PrometheusText.parse(r.body());
    assertThat(
            scrape.value(
                "docpipe_http_request_duration_seconds_count",
                Map.of("route", "/v1/search", "method", "POST", "status", "200")))
        .isGreaterThanOrEqualTo(1);
    assertThat(
            scrape.value(
                "docpipe_http_request_duration_seconds_bucket",
                Map.of("route", "/v1/search", "method", "POST", "status", "200", "le", "+Inf")))
        .isGreaterThanOrEqualTo(1);
    assertThat(scrape.value("docpipe_documents_total", Map.of("outcome", "indexed")))
        .isGreaterThanOrEqualTo(2);
    assertThat(scrape.value("docpipe_chunks_embedded_total", Map.of())).isGreaterThanOrEqualTo(2);
    assertThat(scrape.value("docpipe_embedding_duration_seconds_count", Map.of()))
        .isGreaterThanOrEqualTo(1);
    assertThat(scrape.value("docpipe_job_queue_depth", Map.of())).isGreaterThanOrEqualTo(0);
    assertThat(scrape.types()).containsEntry("docpipe_http_request_duration_seconds", "histogram");
  }

  @Test
  void oversizedDeclaredBody_isRefusedWithoutReadingIt() throws Exception {
    try (Socket socket = new Socket("127.0.0.1", service.port())) {
      socket.setSoTimeout(10_000);
      String head =
          "POST /v1/search HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
              + READER
              + "\r\nContent-Type: application/json\r\nContent-Length: 100000000\r\n\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
      assertThat(status).isEqualTo("HTTP/1.1 413");
    }
  }
}
