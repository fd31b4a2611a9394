package io.docpipe.api.json;

/** The answer to {@code DELETE /v1/documents/{id}}; {@code existed} is false for an unknown id. */
public record DeleteResponseBody(String id, boolean deleted, boolean existed) {}
