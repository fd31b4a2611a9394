/**
 * docpipe measured against what users would pick instead (LangChain4j's splitter, in-process model,
 * in-memory store and ingestor), on the same data, in the same JVM, back to back. Absolute numbers
 * on a shared machine are noise; the ratios, with their spread over repeated runs, are the result.
 * {@link io.docpipe.benchmarks.BenchmarkSuite} runs everything and rewrites the generated part of
 * {@code docs/benchmarks.md} and the plots beside it.
 */
@NullMarked
package io.docpipe.benchmarks;

import org.jspecify.annotations.NullMarked;
