/**
 * A remote embedding model: the OpenAI-compatible {@code POST /embeddings} HTTP API, with request
 * packing, a client-side rate limiter, retries with backoff and strict response validation. Entry
 * type: {@link io.docpipe.openai.OpenAiEmbeddingModel}, configured by {@link
 * io.docpipe.openai.OpenAiSettings}.
 */
@NullMarked
package io.docpipe.openai;

import org.jspecify.annotations.NullMarked;
