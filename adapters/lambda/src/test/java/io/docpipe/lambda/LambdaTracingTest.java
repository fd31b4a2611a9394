package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.s3Event;
import static io.docpipe.lambda.AwsEvents.s3Record;
import static io.docpipe.lambda.AwsEvents.sqsEvent;
import static io.docpipe.lambda.AwsEvents.sqsRecord;
import static io.docpipe.lambda.TestEnvironments.BUCKET;
import static io.docpipe.lambda.TestEnvironments.putObject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.testkit.OtlpReceiver;
import io.docpipe.testkit.OtlpReceiver.ReceivedSpan;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.observe.Tracing;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lambda invocations continue the trace the platform hands them, down to each document stage; the
 * spans arrive as the runtime exports them, by OTLP/HTTP on 127.0.0.1.
 */
class LambdaTracingTest {

  /** Where the runtime's exporter sends its spans: OTLP/HTTP on 127.0.0.1, decoded. */
  @AutoClose final OtlpReceiver receiver;

  LambdaTracingTest() throws java.io.IOException {
    receiver = new OtlpReceiver();
  }

  @TempDir Path dir;

  @Test
  void anSqsMessage_withAnAwsTraceHeader_isTracedInThatTrace_documentByDocument() throws Exception {
    Tracing tracing =
        Tracing.fromEnvironment(
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()), "docpipe-lambda");
    DocpipeConfig config = DocpipeConfig.fromEnvironment(TestEnvironments.variables(dir));
    try (LambdaComponent environment = LambdaComponent.create(() -> config, tracing)) {
      ObjectNode record =
          sqsRecord(
              "m1",
              "{\"documents\":[{\"id\":\"tr/a.md\",\"text\":\"Moss grows on the north side.\","
                  + "\"mediaType\":\"text/markdown\"}]}",
              false);
      record
          .putObject("attributes")
          .put(
              "AWSTraceHeader",
              "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");
      new SqsHandler(environment).handle(sqsEvent(List.of(record)), () -> false);
      tracing.close(); // exports what is queued
    }
    List<ReceivedSpan> spans = receiver.spans();
    assertThat(spans).isNotEmpty();
    assertThat(spans)
        .allMatch(s -> s.traceId().equals("5759e988bd862e3fe1be46a994272793"), "X-Ray trace");
    ReceivedSpan batch = named(spans, "docpipe.sqs.batch");
    assertThat(batch.parent()).isEqualTo("53995c3f42cd8ad8");
    ReceivedSpan document = named(spans, "docpipe.document");
    assertThat(document.parent()).isEqualTo(batch.spanId());
    assertThat(
            spans.stream()
                .filter(s -> s.parent().equals(document.spanId()))
                .map(ReceivedSpan::name))
        .containsExactlyInAnyOrder(
            "docpipe.fetch", "docpipe.extract", "docpipe.chunk", "docpipe.embed", "docpipe.write");
  }

  @Test
  void anS3Event_isTracedUnderTheInvocationsXrayTrace() throws Exception {
    Tracing tracing =
        Tracing.fromEnvironment(
            Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint()), "docpipe-lambda");
    String before = System.getProperty(InvocationTrace.XRAY_PROPERTY);
    System.setProperty(
        InvocationTrace.XRAY_PROPERTY,
        "Root=1-6759e988-cd862e3fe1be46a994272793;Parent=63995c3f42cd8ad8;Sampled=1");
    DocpipeConfig config = DocpipeConfig.fromEnvironment(TestEnvironments.variables(dir));
    try (LambdaComponent environment = LambdaComponent.create(() -> config, tracing)) {
      putObject(dir, "s3/b.md", "Salt lowers the freezing point of water.");
      new S3Handler(environment)
          .handle(s3Event(s3Record("ObjectCreated:Put", BUCKET, "s3/b.md", 40)), () -> false);
      tracing.close();
    } finally {
      if (before == null) {
        System.clearProperty(InvocationTrace.XRAY_PROPERTY);
      } else {
        System.setProperty(InvocationTrace.XRAY_PROPERTY, before);
      }
    }
    ReceivedSpan event = named(receiver.spans(), "docpipe.s3.event");
    assertThat(event.traceId()).isEqualTo("6759e988cd862e3fe1be46a994272793");
    assertThat(event.parent()).isEqualTo("63995c3f42cd8ad8");
    assertThat(named(receiver.spans(), "docpipe.document").attributes().toString())
        .contains("s3/b.md", "indexed");
  }

  private static ReceivedSpan named(List<ReceivedSpan> spans, String name) {
    List<ReceivedSpan> found = spans.stream().filter(s -> s.name().equals(name)).toList();
    assertThat(found).as(spans.stream().map(ReceivedSpan::name).toList().toString()).hasSize(1);
    return found.get(0);
  }
}
