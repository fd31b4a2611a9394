package io.docpipe.wiring.observe;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The OpenTelemetry SDK behind a {@link Tracing} that exports: kept apart so that a process which
 * exports nothing never loads the SDK's classes (ADR 0030).
 */
final class ExportingTracing {

  private final SdkTracerProvider provider;
  private final DroppingSpanProcessor export;

  ExportingTracing(String serviceName, SpanExporter exporter) {
    this.export = new DroppingSpanProcessor(exporter, Tracing.QUEUE_CAPACITY);
    this.provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
            .addSpanProcessor(export)
            .build();
  }

  static ExportingTracing otlpHttp(String serviceName, String url) {
    return new ExportingTracing(
        serviceName,
        OtlpHttpSpanExporter.builder()
            .setEndpoint(url)
            .setTimeout(Duration.ofSeconds(5))
            .setConnectTimeout(Duration.ofSeconds(2))
            .build());
  }

  Tracer tracer() {
    return provider.get(Tracing.SCOPE);
  }

  long dropped() {
    return export.dropped();
  }

  long exported() {
    return export.exported();
  }

  long failed() {
    return export.failed();
  }

  void close() {
    provider.shutdown().join(5, TimeUnit.SECONDS);
  }
}
