/**
 * The embedded default embedding model: all-MiniLM-L6-v2 run in-process on ONNX Runtime, with a
 * pure-Java BERT WordPiece tokenizer, needing no network at run time. Entry type: {@link
 * io.docpipe.onnx.OnnxEmbeddingModel}, configured by {@link io.docpipe.onnx.OnnxSettings}.
 */
@NullMarked
package io.docpipe.onnx;

import org.jspecify.annotations.NullMarked;
