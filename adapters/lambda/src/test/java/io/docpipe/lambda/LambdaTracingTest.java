package io.docpipe.lambda;

import static io.docpipe.lambda.AwsEvents.s3Event;
import static io.docpipe.lambda.AwsEvents.s3Record;
import static io.docpipe.lambda.AwsEvents.sqsEvent;
import static io.docpipe.lambda.AwsEvents.sqsRecord;
import static io.docpipe.lambda.TestEnvironments.BUCKET;
import static io.docpipe.lambda.TestEnvironments.putObject;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.wiring.DocpipeConfig;
import io.docpipe.wiring.observe.Tracing;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lambda invocations continue the trace the platform hands them, down to each document stage. */
class LambdaTracingTest {

  static final class Collected implements SpanExporter {
    final List<SpanData> spans = new CopyOnWriteArrayList<>();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.addAll(batch);
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  @TempDir Path dir;

  @Test
  void anSqsMessage_withAnAwsTraceHeader_isTracedInThatTrace_documentByDocument() throws Exception {
    Collected exported = new Collected();
    Tracing tracing = Tracing.exportingTo("docpipe-lambda", exported);
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
    List<SpanData> spans = exported.spans;
    assertThat(spans).isNotEmpty();
    assertThat(spans)
        .allMatch(s -> s.getTraceId().equals("5759e988bd862e3fe1be46a994272793"), "X-Ray trace");
    SpanData batch = named(spans, "docpipe.sqs.batch");
    assertThat(batch.getParentSpanId()).isEqualTo("53995c3f42cd8ad8");
    SpanData document = named(spans, "docpipe.document");
    assertThat(document.getParentSpanId()).isEqualTo(batch.getSpanId());
    assertThat(
            spans.stream()
                .filter(s -> s.getParentSpanId().equals(document.getSpanId()))
                .map(SpanData::getName))
        .containsExactlyInAnyOrder(
            "docpipe.fetch", "docpipe.extract", "docpipe.chunk", "docpipe.embed", "docpipe.write");
  }

  @Test
  void anS3Event_isTracedUnderTheInvocationsXrayTrace() throws Exception {
    Collected exported = new Collected();
    Tracing tracing = Tracing.exportingTo("docpipe-lambda", exported);
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
    SpanData event = named(exported.spans, "docpipe.s3.event");
    assertThat(event.getTraceId()).isEqualTo("6759e988cd862e3fe1be46a994272793");
    assertThat(event.getParentSpanId()).isEqualTo("63995c3f42cd8ad8");
    assertThat(named(exported.spans, "docpipe.document").getAttributes().asMap().toString())
        .contains("s3/b.md", "indexed");
  }

  private static SpanData named(List<SpanData> spans, String name) {
    List<SpanData> found = spans.stream().filter(s -> s.getName().equals(name)).toList();
    assertThat(found).as(spans.stream().map(SpanData::getName).toList().toString()).hasSize(1);
    return found.get(0);
  }
}
