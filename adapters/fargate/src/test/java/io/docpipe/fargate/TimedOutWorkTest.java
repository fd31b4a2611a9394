package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Work whose client got 408 is cancelled, and until it has stopped it keeps its place in the
 * server's bound: timed-out work cannot pile up behind the clients' backs.
 */
class TimedOutWorkTest {

  private static final int DOCUMENTS = 8;

  @TempDir Path indexDir;

  @Test
  void timedOutIngest_stopsAfterItsCurrentDocument_andHoldsItsPlaceUntilThen() throws Exception {
    FargateService service =
        TestServices.start(
            indexDir,
            Map.of(
                "DOCPIPE_HTTP_REQUEST_TIMEOUT", "100ms",
                "DOCPIPE_HTTP_MAX_CONCURRENT_REQUESTS", "1",
                "DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS", String.valueOf(DOCUMENTS),
                // Ingestion stops between windows: four documents to a window, two windows.
                "DOCPIPE_EMBEDDING_BATCH_SIZE", "4"),
            Runnable::run);
    try {
      TestServices.Client client = new TestServices.Client(service.port());
      // Eight documents of 1,500 words: a window of four takes far longer than 100 ms to embed.
      String documents =
          IntStream.range(0, DOCUMENTS)
              .mapToObj(
                  d ->
                      "{\"id\":\"long-"
                          + d
                          + "\",\"text\":\""
                          + IntStream.range(0, 1_500)
                              .mapToObj(w -> "word" + (w * 31 + d) % 5000)
                              .collect(Collectors.joining(" "))
                          + "\"}")
              .collect(Collectors.joining(","));

      HttpResponse<String> timedOut =
          client.post("/v1/documents", WRITER, "{\"documents\":[" + documents + "]}");
      assertThat(timedOut.statusCode()).as(timedOut.body()).isEqualTo(408);
      assertThat(timedOut.body()).contains("/problems/timeout");

      // The bound is one request: the timed-out ingestion still holds it.
      HttpResponse<String> refused = client.get("/v1/stats", READER);
      assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
      assertThat(refused.body()).contains("/problems/overloaded");
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();

      // Once it has stopped, the place is free again, and it stopped early.
      assertThat(
              Poll.until(
                  Duration.ofSeconds(120),
                  () -> client.get("/v1/stats", READER).statusCode() == 200))
          .isTrue();
      PrometheusText scrape = PrometheusText.parse(client.get("/metrics", null).body());
      // The stop is asked before each extraction and each model call, so the cancelled request
      // indexes at most what it had embedded when it was answered 408: none or part of a window.
      assertThat(scrape.sum("docpipe_documents_total", Map.of("outcome", "indexed")))
          .as("documents the cancelled request still indexed")
          .isLessThan(DOCUMENTS);
    } finally {
      service.drain(Duration.ofSeconds(5));
    }
  }
}
