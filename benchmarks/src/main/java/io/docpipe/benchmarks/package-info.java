/**
 * docpipe measured against what users would pick instead (LangChain4j's splitter, in-process model,
 * in-memory store and ingestor), on the same data, in the same JVM, back to back. Absolute numbers
 * on a shared machine are noise; the ratios, with their spread over repeated runs, are the result.
 * The runtimes are measured as the processes they run as, against a floor or ceiling that shares
 * everything but docpipe: the Lambda handler's cold start against a bare handler, the Fargate
 * service's search against a bare Helidon route, two GKE shard workers against one; the RSS of a
 * large ingest over time; and in-process extraction against the doc-builder sidecar (a real Tika
 * Server). {@code --profile} records the docpipe side under JFR and summarises its hot frames next
 * to each missed goal. {@link io.docpipe.benchmarks.BenchmarkSuite} runs everything and rewrites
 * the generated part of {@code docs/benchmarks.md} and the plots beside it.
 */
@NullMarked
package io.docpipe.benchmarks;

import org.jspecify.annotations.NullMarked;
