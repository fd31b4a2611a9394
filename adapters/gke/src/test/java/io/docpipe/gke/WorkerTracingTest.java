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
    Traced run =
        runTraced(
            6,
            11L,
            Map.of(
                "TRACEPARENT",
                "00-" + TRACE_ID + "-b7ad6b7169203331-01",
                "GOOGLE_CLOUD_PROJECT",
                "docpipe-test"),
            "t");

    List<ReceivedSpan> spans = run.spans();
    ReceivedSpan shard = run.shard();
    assertThat(shard.traceId()).isEqualTo(TRACE_ID);
    assertThat(shard.parent()).isEqualTo("b7ad6b7169203331");
    assertThat(shard.service()).isEqualTo("docpipe-gke-worker");
    List<ReceivedSpan> documents =
        spans.stream().filter(s -> s.name().equals("docpipe.document")).toList();
    assertThat(documents)
        .hasSize(run.ids().size())
        .allMatch(d -> d.parent().equals(shard.spanId()));
    assertThat(spans).allMatch(s -> s.traceId().equals(TRACE_ID));
    assertThat(spans.stream().filter(s -> s.name().equals("docpipe.embed")))
        .hasSize(run.ids().size());

    String stderr = Files.readString(temp.resolve("logs").resolve("t.err"));
    assertThat(stderr)
        .as("JSON log lines linked to the trace")
        .contains("\"logging.googleapis.com/trace\":\"projects/docpipe-test/traces/" + TRACE_ID);
  }

  @Test
  void anEmptyTraceparent_fromAPodWithoutTheAnnotation_startsATraceOfTheShardsOwn()
      throws Exception {
    // What the downward API gives for metadata.annotations['docpipe.io/traceparent'] when unset.
    Traced run = runTraced(2, 12L, Map.of("TRACEPARENT", ""), "e");

    ReceivedSpan shard = run.shard();
    assertThat(shard.parent()).as("a root span").isEmpty();
    assertThat(shard.traceId()).matches("[0-9a-f]{32}").isNotEqualTo("0".repeat(32));
    assertThat(run.spans().stream().filter(s -> s.name().equals("docpipe.document")))
        .hasSize(run.ids().size());
    assertThat(run.spans()).allMatch(s -> s.traceId().equals(shard.traceId()));
  }

  /** The documents of a worker's whole-corpus shard and the spans it exported before it exited. */
  private record Traced(List<DocumentId> ids, List<ReceivedSpan> spans) {
    ReceivedSpan shard() {
      return spans.stream().filter(s -> s.name().equals("docpipe.shard")).findFirst().orElseThrow();
    }
  }

  /**
   * Runs a worker to a zero exit over {@code documents} generated documents (from {@code seed}),
   * exporting to a loopback OTLP receiver, with {@code traceEnv} on top; its logs are {@code
   * logs/<name>.err}.
   */
  private Traced runTraced(int documents, long seed, Map<String, String> traceEnv, String name)
      throws Exception {
    Path corpus = temp.resolve("corpus");
    List<DocumentId> ids = Workers.corpus(corpus, documents, seed);
    try (OtlpReceiver receiver = new OtlpReceiver();
        EmbeddingsStandIn embeddings = EmbeddingsStandIn.start(16, "stub")) {
      Map<String, String> env =
          Workers.env(corpus, temp.resolve("index"), temp.resolve("cp"), ShardSpec.whole());
      env.putAll(embeddings.env());
      env.put("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint());
      env.putAll(traceEnv);
      Process worker = Workers.start(env, temp.resolve("outcomes.log"), temp.resolve("logs"), name);
      assertThat(Workers.exitCode(worker, Duration.ofSeconds(90))).isZero();
      return new Traced(ids, receiver.spans()); // exported before the worker exited
    }
  }
}
