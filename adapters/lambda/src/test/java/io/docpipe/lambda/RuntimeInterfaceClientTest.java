package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.s3Event;
import static io.docpipe.lambda.AwsEvents.s3Record;
import static io.docpipe.lambda.AwsEvents.sqsEvent;
import static io.docpipe.lambda.AwsEvents.sqsRecord;
import static io.docpipe.lambda.TestEnvironments.BUCKET;
import static io.docpipe.lambda.TestEnvironments.putObject;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.argumentSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.core.model.DocumentId;
import io.docpipe.harness.lambda.InvocationResult;
import io.docpipe.harness.lambda.LocalRuntimeApi;
import io.docpipe.wiring.DocpipeConfig;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The handlers run by the real AWS Lambda runtime interface client in a separate JVM, against the
 * local Runtime API, end to end into an embedded index; the index is checked afterwards from this
 * JVM, once the runtime has been stopped as Lambda stops it.
 */
class RuntimeInterfaceClientTest {

  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final Duration FUNCTION_TIMEOUT = Duration.ofMinutes(5);

  @TempDir Path dir;

  @Test
  void s3Events_sameEventTwice_embedsEachChunkOnce_thenARemovalDeletes() throws Exception {
    putObject(
        dir,
        "reports/Q3 Überblick+final.md",
        "# Quarterly overview\n\nRevenue grew in the third quarter, driven by exports of wind turbines.");
    String rawKey = "reports/Q3+%C3%9Cberblick%2Bfinal.md";
    byte[] created = s3Event(s3Record("ObjectCreated:Put", BUCKET, rawKey, 90));
    long chunks;
    try (LocalRuntimeApi api = LocalRuntimeApi.start();
        RicProcess ric = start("io.docpipe.lambda.S3Handler::handleRequest", api, Map.of())) {
      JsonNode first = response(ric, ric.invoke(api, created, FUNCTION_TIMEOUT, WAIT));
      JsonNode second = response(ric, ric.invoke(api, created, FUNCTION_TIMEOUT, WAIT));

      assertThat(first.path("indexed").asInt()).as(first.toString()).isEqualTo(1);
      chunks = first.path("chunksEmbedded").asLong();
      assertThat(chunks).isPositive();
      assertThat(second.path("unchanged").asInt()).as(second.toString()).isEqualTo(1);
      assertThat(second.path("chunksEmbedded").asLong()).isZero();
    }
    try (Index index = Index.open(dir)) {
      assertThat(index.environment.vectorStore().count()).isEqualTo(chunks);
      assertThat(TestEnvironments.search(index.environment, "wind turbine exports revenue", 1))
          .containsExactly("reports/Q3 Überblick+final.md");
    }

    // S3 sends the removal event once the object is gone.
    java.nio.file.Files.delete(
        dir.resolve("s3").resolve(BUCKET).resolve("reports/Q3 Überblick+final.md"));
    try (LocalRuntimeApi api = LocalRuntimeApi.start();
        RicProcess ric = start("io.docpipe.lambda.S3Handler::handleRequest", api, Map.of())) {
      JsonNode removed =
          response(
              ric,
              ric.invoke(
                  api,
                  s3Event(s3Record("ObjectRemoved:Delete", BUCKET, rawKey, 0)),
                  FUNCTION_TIMEOUT,
                  WAIT));
      assertThat(removed.path("deleted").asInt()).isEqualTo(1);
    }
    try (Index index = Index.open(dir)) {
      assertThat(index.environment.vectorStore().count()).isZero();
    }
  }

  @Test
  void sqsPoisonBatch_returnsExactlyTheTwoBadIds_andIndexesTheEightGoodDocumentsOnce()
      throws Exception {
    List<ObjectNode> records = new ArrayList<>();
    List<DocumentId> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      String messageId = "msg-" + i;
      if (i == 2) {
        records.add(sqsRecord(messageId, AwsEvents.UNKNOWN_MESSAGE_BODY, false));
      } else if (i == 8) {
        records.add(sqsRecord(messageId, "{\"delete\":[\"\"]}", false));
      } else {
        String key = "batch/note " + i + ".txt";
        putObject(dir, key, "Field note " + i + ": the river otters were seen near the weir.");
        good.add(DocumentId.of(key));
        records.add(
            sqsRecord(
                messageId,
                new String(
                    s3Event(s3Record("ObjectCreated:Put", BUCKET, "batch/note+" + i + ".txt", 60)),
                    StandardCharsets.UTF_8),
                false));
      }
    }
    try (LocalRuntimeApi api = LocalRuntimeApi.start();
        RicProcess ric = start("io.docpipe.lambda.SqsHandler::handleRequest", api, Map.of())) {
      JsonNode response = response(ric, ric.invoke(api, sqsEvent(records), FUNCTION_TIMEOUT, WAIT));

      assertThat(SqsHandlerTest.failedIds(response)).containsExactlyInAnyOrder("msg-2", "msg-8");
    }
    try (Index index = Index.open(dir)) {
      assertThat(index.environment.vectorStore().storedHashes(good)).hasSize(8);
      assertThat(index.environment.vectorStore().count()).isEqualTo(8);
    }
  }

  @Test
  void sqsBatch_withTooLittleTimeLeft_comesBackWhole_andNothingIsIndexed() throws Exception {
    putObject(dir, "late/a.txt", "Late arrivals wait for the next invocation.");
    List<ObjectNode> records =
        List.of(
            sqsRecord(
                "late-1",
                new String(
                    s3Event(s3Record("ObjectCreated:Put", BUCKET, "late/a.txt", 40)),
                    StandardCharsets.UTF_8),
                false),
            sqsRecord("late-2", "{\"delete\":[\"late/b.txt\"]}", false));
    try (LocalRuntimeApi api = LocalRuntimeApi.start();
        RicProcess ric = start("io.docpipe.lambda.SqsHandler::handleRequest", api, Map.of())) {
      // Less than the smallest safety margin: the handler must not start anything.
      JsonNode response =
          response(
              ric, ric.invoke(api, sqsEvent(records), Deadline.MIN_MARGIN.minusMillis(100), WAIT));

      assertThat(SqsHandlerTest.failedIds(response)).containsExactly("late-1", "late-2");
    }
    try (Index index = Index.open(dir)) {
      assertThat(index.environment.vectorStore().count()).isZero();
    }
  }

  @Test
  void httpSearch_throughTheEmulatorEntryPoint() throws Exception {
    try (LocalRuntimeApi api = LocalRuntimeApi.start();
        RicProcess ric = start("io.docpipe.lambda.HttpHandler::handleRequest", api, Map.of())) {
      HttpClient http = HttpClient.newHttpClient();
      String ingest =
          AwsEvents.json(
              AwsEvents.httpEvent(
                  "POST",
                  "/v1/documents",
                  "{\"documents\":[{\"id\":\"h.md\",\"text\":\"Moss grows on the north side of trees.\"}]}"));
      HttpResponse<String> ingested = post(http, api, ingest);
      assertThat(ingested.statusCode()).as(ric.log()).isEqualTo(200);
      assertThat(ingested.body()).contains("\\\"indexed\\\":1");

      String search =
          AwsEvents.json(
              AwsEvents.httpEvent(
                  "POST", "/v1/search", "{\"query\":\"which side of a tree has moss\",\"k\":1}"));
      JsonNode found =
          AwsEvents.parse(post(http, api, search).body().getBytes(StandardCharsets.UTF_8));

      assertThat(found.path("statusCode").asInt()).isEqualTo(200);
      assertThat(found.path("body").asText()).contains("\"documentId\":\"h.md\"");
    }
  }

  static Stream<Arguments> settingsTheFunctionCannotStartWith() {
    return Stream.of(
        argumentSet(
            "badConfiguration_isReportedAsAnInitError_namingTheVariable",
            Map.of("DOCPIPE_CHUNK_TOKENS", "lots"),
            List.of("DOCPIPE_CHUNK_TOKENS")),
        argumentSet(
            "embeddedIndexWithoutPermission_isAnInitError_sayingWhatToSet",
            Map.of("DOCPIPE_ALLOW_EPHEMERAL_INDEX", "false"),
            List.of("DOCPIPE_VECTOR_STORE=qdrant", "DOCPIPE_ALLOW_EPHEMERAL_INDEX=true")));
  }

  @ParameterizedTest
  @MethodSource("settingsTheFunctionCannotStartWith")
  void aSettingTheFunctionCannotStartWith_isAnInitError_sayingWhy(
      Map<String, String> setting, List<String> said) throws Exception {
    try (LocalRuntimeApi api = LocalRuntimeApi.start();
        RicProcess ric = start("io.docpipe.lambda.SqsHandler::handleRequest", api, setting)) {
      assertThat(ric.waitForExit(WAIT.toSeconds())).as(ric.log()).isTrue();
      assertThat(api.initError())
          .as(ric.log())
          .hasValueSatisfying(error -> assertThat(error).contains(said));
    }
  }

  private RicProcess start(String handler, LocalRuntimeApi api, Map<String, String> extra)
      throws Exception {
    Map<String, String> env = new HashMap<>(TestEnvironments.variables(dir));
    env.putAll(extra);
    return RicProcess.start(
        handler, api, env, dir.resolve("ric-" + System.nanoTime() + ".log"), List.of());
  }

  private static JsonNode response(RicProcess ric, InvocationResult result) {
    assertThat(result).as(ric.log()).isInstanceOf(InvocationResult.Response.class);
    return AwsEvents.parse(result.body());
  }

  private static HttpResponse<String> post(HttpClient http, LocalRuntimeApi api, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(api.invokeUri())
            .timeout(WAIT)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The index the runtime wrote, opened from this JVM after the runtime stopped. */
  private record Index(LambdaComponent environment) implements AutoCloseable {
    static Index open(Path dir) throws Exception {
      return new Index(
          LambdaComponent.create(DocpipeConfig.fromEnvironment(TestEnvironments.variables(dir))));
    }

    @Override
    public void close() {
      environment.close();
    }
  }
}
