package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.WRITER;
import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.testkit.OtlpReceiver;
import io.docpipe.testkit.OtlpReceiver.ReceivedSpan;
import io.docpipe.wiring.observe.Tracing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces of the real service, exported by OTLP/HTTP to a loopback receiver that decodes the
 * OpenTelemetry protobufs: the span tree of one HTTP ingest, and a collector that is down.
 */
class TracingTest {

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER_SPAN = "00f067aa0ba902b7";

  @TempDir Path temp;

  private static final String TWO_DOCUMENTS =
      """
      {"documents":[
        {"id":"t/kept.md","text":"Otters hold hands while they sleep on the water.","mediaType":"text/markdown"},
        {"id":"t/blank.md","text":"   ","mediaType":"text/markdown"}
      ]}""";

  @Test
  void oneHttpIngest_isOneTrace_underTheCallersTraceparent_withASpanPerDocumentStage()
      throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver();
        FargateService service =
            TestServices.start(
                temp.resolve("index"),
                Map.of(),
                Runnable::run,
                Tracing.fromEnvironment(
                    Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()),
                    "docpipe-fargate"))) {
      HttpResponse<String> r = ingest(service, "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01");
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

      // Spans leave in the background; wait (bounded) until the whole tree is there.
      Predicate<List<ReceivedSpan>> complete =
          spans ->
              spans.stream().anyMatch(s -> s.name().equals("POST /v1/documents"))
                  && spans.stream().filter(s -> s.name().equals("docpipe.document")).count() == 2
                  && spans.stream().filter(s -> s.name().startsWith("docpipe.")).count() >= 9;
      assertThat(Poll.until(Duration.ofSeconds(20), () -> complete.test(receiver.spans())))
          .as("received: " + names(receiver.spans()))
          .isTrue();
      List<ReceivedSpan> spans = receiver.spans();

      assertThat(spans).allMatch(s -> s.traceId().equals(TRACE_ID), "in the caller's trace");
      assertThat(spans).allMatch(s -> s.service().equals("docpipe-fargate"));
      ReceivedSpan request = one(spans, s -> s.name().equals("POST /v1/documents"));
      assertThat(request.parent()).isEqualTo(CALLER_SPAN);
      assertThat(request.attributes())
          .containsEntry("http.route", "/v1/documents")
          .containsEntry("http.response.status_code", "200");

      ReceivedSpan kept = document(spans, "t/kept.md");
      assertThat(kept.parent()).isEqualTo(request.spanId());
      assertThat(kept.attributes())
          .containsEntry("docpipe.outcome", "indexed")
          .containsEntry("docpipe.chunks", "1");
      assertThat(children(spans, kept))
          .extracting(ReceivedSpan::name)
          .containsExactly(
              "docpipe.fetch",
              "docpipe.extract",
              "docpipe.chunk",
              "docpipe.embed",
              "docpipe.write");
      ReceivedSpan fetch = one(children(spans, kept), s -> s.name().equals("docpipe.fetch"));
      assertThat(fetch.attributes())
          .containsEntry("docpipe.document.id", "t/kept.md")
          .containsEntry("docpipe.document.bytes", "48");
      assertThat(one(children(spans, kept), s -> s.name().equals("docpipe.embed")).attributes())
          .containsEntry("docpipe.vectors", "1");
      for (ReceivedSpan child : children(spans, kept)) {
        assertThat(child.startNanos()).isGreaterThanOrEqualTo(kept.startNanos());
        assertThat(child.endNanos()).isLessThanOrEqualTo(kept.endNanos());
      }

      ReceivedSpan blank = document(spans, "t/blank.md");
      assertThat(blank.attributes())
          .containsEntry("docpipe.outcome", "failed")
          .containsEntry("docpipe.failure.reason", "empty")
          .containsEntry("docpipe.failure.retriable", "false");
      assertThat(children(spans, blank))
          .extracting(ReceivedSpan::name)
          .containsExactly("docpipe.fetch", "docpipe.extract");
    }
  }

  @Test
  void aCollectorThatIsDown_slowsNothing_andWhatIsLostIsCounted() throws Exception {
    // A "collector" that accepts connections and never answers: the worst kind of down.
    try (ServerSocket blackHole = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      List<Socket> held = java.util.Collections.synchronizedList(new ArrayList<>());
      Thread.ofPlatform()
          .daemon()
          .start(
              () -> {
                while (!blackHole.isClosed()) {
                  try {
                    held.add(blackHole.accept());
                  } catch (IOException e) {
                    return;
                  }
                }
              });
      Tracing tracing =
          Tracing.fromEnvironment(
              Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:" + blackHole.getLocalPort()),
              "docpipe-fargate");
      FargateService service =
          TestServices.start(temp.resolve("index"), Map.of(), Runnable::run, tracing);
      Duration closing;
      try {
        ingest(service, null); // warm: the model's first call
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
          HttpResponse<String> r = ingest(service, null);
          assertThat(r.statusCode()).isEqualTo(200);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        // An exporter in the request path would wait its 5 s timeout on the first export alone.
        assertThat(took)
            .as("5 ingests with the collector hanging")
            .isLessThan(Duration.ofSeconds(4));
      } finally {
        long start = System.nanoTime();
        service.close(); // drains, then gives the queued spans about two seconds
        closing = Duration.ofNanos(System.nanoTime() - start);
      }
      assertThat(closing)
          .as("stopping with the collector hanging")
          .isLessThan(Duration.ofSeconds(15));
      assertThat(tracing.exportedSpans()).isZero();
      assertThat(tracing.droppedSpans() + tracing.failedSpans())
          .as("spans that could not leave are counted, not lost silently")
          .isGreaterThan(0);
      for (Socket s : held) {
        s.close();
      }
    }
  }

  private static HttpResponse<String> ingest(FargateService service, String traceparent) {
    TestServices.Client client = new TestServices.Client(service.port());
    HttpRequest.Builder b =
        client
            .request("/v1/documents", WRITER)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(TWO_DOCUMENTS));
    if (traceparent != null) {
      b.header("traceparent", traceparent);
    }
    return client.send(b.build());
  }

  private static ReceivedSpan document(List<ReceivedSpan> spans, String id) {
    return one(
        spans,
        s ->
            s.name().equals("docpipe.document")
                && id.equals(s.attributes().get("docpipe.document.id")));
  }

  private static List<ReceivedSpan> children(List<ReceivedSpan> spans, ReceivedSpan parent) {
    return spans.stream()
        .filter(s -> s.parent().equals(parent.spanId()))
        .sorted(java.util.Comparator.comparingLong(ReceivedSpan::startNanos))
        .toList();
  }

  private static ReceivedSpan one(List<ReceivedSpan> spans, Predicate<ReceivedSpan> which) {
    List<ReceivedSpan> found = spans.stream().filter(which).toList();
    assertThat(found).as(names(spans)).hasSize(1);
    return found.get(0);
  }

  private static String names(List<ReceivedSpan> spans) {
    return spans.stream().map(s -> s.name() + s.attributes()).toList().toString();
  }
}
