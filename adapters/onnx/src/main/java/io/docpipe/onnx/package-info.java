/**
 * The embedded default embedding model: all-MiniLM-L6-v2 run in-process on ONNX Runtime, with a
 * pure-Java BERT WordPiece tokenizer, needing no network at run time. Entry type: {@link
 * io.docpipe.onnx.OnnxEmbeddingModel}, configured by {@link io.docpipe.onnx.OnnxSettings}.
 *
 * <p>Run it with {@code ORT_DISABLE_TELEMETRY=1} in the environment (docpipe's launcher, images and
 * test JVMs set it): ONNX Runtime 1.29 starts a telemetry uploader when its environment is created,
 * before any Java code can turn it off, and that start-up crashes the JVM (SIGSEGV in {@code
 * fclose}) on hosts and minimal images without the files it probes.
 */
@NullMarked
package io.docpipe.onnx;

import org.jspecify.annotations.NullMarked;
