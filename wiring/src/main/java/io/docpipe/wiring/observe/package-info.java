/**
 * What every runtime reports about ingestion, under the same names: {@link
 * io.docpipe.wiring.observe.MetricNames} (the vocabulary), {@link
 * io.docpipe.wiring.observe.PipelineMetrics} (those metrics in a Prometheus registry, for the
 * Fargate service and the GKE worker; Lambda writes them as CloudWatch EMF), {@link
 * io.docpipe.wiring.observe.Tracing} (OpenTelemetry spans per request, document and stage) and
 * {@link io.docpipe.wiring.observe.JsonLogFormatter} (JSON log lines with trace and span ids, and
 * {@link io.docpipe.wiring.observe.LibraryAdvisories} keeping out of them a library's advice that
 * contradicts a runtime's decision). The core reports through its {@code IngestionListener} port
 * and knows none of this.
 */
@NullMarked
package io.docpipe.wiring.observe;

import org.jspecify.annotations.NullMarked;
