/**
 * The embedded embedding models, run in-process on ONNX Runtime with a pure-Java BERT WordPiece
 * tokenizer, needing no network at run time: bge-small-en-v1.5 (int8) by default, or
 * all-MiniLM-L6-v2, its int8 export, or bge-small-en-v1.5 in fp32. Entry type: {@link
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
