package io.docpipe.api.json;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** {@code POST /v1/documents}: the documents to index, each inline text or a URI to fetch. */
public record IngestBody(@Nullable List<DocumentBody> documents) {}
