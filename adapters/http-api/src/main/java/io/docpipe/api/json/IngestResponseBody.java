package io.docpipe.api.json;

import java.util.List;

/** The answer to {@code POST /v1/documents}: one result per document in request order. */
public record IngestResponseBody(
    List<DocumentResult> results, int indexed, int unchanged, int failed, long chunksEmbedded) {}
