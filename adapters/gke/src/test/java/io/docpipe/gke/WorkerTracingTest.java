package io.docpipe.gke;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.testkit.EmbeddingsStandIn;
import io.docpipe.testkit.OtlpReceiver;
import io.docpipe.testkit.OtlpReceiver.ReceivedSpan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker process exports its shard's spans by OTLP/HTTP to a loopback receiver, in the trace the
 * Job hands its pods ({@code TRACEPARENT}), and logs JSON lines Cloud Logging links to that trace.
 */
class WorkerTracingTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  @TempDir Path temp;

  @Test
  void aShard_isOneSpanInTheJobsTrace_withEveryDocumentAndStageBelowIt() throws Exception {
    Path corpus = temp.resolve("corpus");
    List<DocumentId> ids = Workers.corpus(corpus, 6, 11L);
    try (OtlpReceiver receiver = new OtlpReceiver();
        EmbeddingsStandIn embeddings = EmbeddingsStandIn.start(16, "stub")) {
      Map<String, String> env =
          Workers.env(corpus, temp.resolve("index"), temp.resolve("cp"), ShardSpec.whole());
      env.putAll(embeddings.env());
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      env.put("TRACEPARENT", "00-" + TRACE_ID + "-b7ad6b7169203331-01");
      env.put("GOOGLE_CLOUD_PROJECT", "docpipe-test");
      Process worker = Workers.start(env, temp.resolve("outcomes.log"), temp.resolve("logs"), "t");
      assertThat(Workers.exitCode(worker, Duration.ofSeconds(90))).isZero();

      List<ReceivedSpan> spans = receiver.spans(); // exported before the worker exited
      ReceivedSpan shard =
          spans.stream().filter(s -> s.name().equals("docpipe.shard")).findFirst().orElseThrow();
      assertThat(shard.traceId()).isEqualTo(TRACE_ID);
      assertThat(shard.parent()).isEqualTo("b7ad6b7169203331");
      assertThat(shard.service()).isEqualTo("docpipe-gke-worker");
      List<ReceivedSpan> documents =
          spans.stream().filter(s -> s.name().equals("docpipe.document")).toList();
      assertThat(documents).hasSize(ids.size()).allMatch(d -> d.parent().equals(shard.spanId()));
      assertThat(spans).allMatch(s -> s.traceId().equals(TRACE_ID));
      assertThat(spans.stream().filter(s -> s.name().equals("docpipe.embed"))).hasSize(ids.size());

      String stderr = Files.readString(temp.resolve("logs").resolve("t.err"));
      assertThat(stderr)
          .as("JSON log lines linked to the trace")
          .contains("\"logging.googleapis.com/trace\":\"projects/docpipe-test/traces/" + TRACE_ID);
    }
  }

  @Test
  void anEmptyTraceparent_fromAPodWithoutTheAnnotation_startsATraceOfTheShardsOwn()
      throws Exception {
    Path corpus = temp.resolve("corpus");
    List<DocumentId> ids = Workers.corpus(corpus, 2, 12L);
    try (OtlpReceiver receiver = new OtlpReceiver();
        EmbeddingsStandIn embeddings = EmbeddingsStandIn.start(16, "stub")) {
      Map<String, String> env =
          Workers.env(corpus, temp.resolve("index"), temp.resolve("cp"), ShardSpec.whole());
      env.putAll(embeddings.env());
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      // What the downward API gives for metadata.annotations['docpipe.io/traceparent'] when unset.
      env.put("TRACEPARENT", "");
      Process worker = Workers.start(env, temp.resolve("outcomes.log"), temp.resolve("logs"), "e");
      assertThat(Workers.exitCode(worker, Duration.ofSeconds(90))).isZero();

      List<ReceivedSpan> spans = receiver.spans();
      ReceivedSpan shard =
          spans.stream().filter(s -> s.name().equals("docpipe.shard")).findFirst().orElseThrow();
      assertThat(shard.parent()).as("a root span").isEmpty();
      assertThat(shard.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
      assertThat(spans.stream().filter(s -> s.name().equals("docpipe.document")))
          .hasSize(ids.size());
      assertThat(spans).allMatch(s -> s.traceId().equals(shard.traceId()));
    }
  }
}
