package io.docpipe.api.json;

/** An RFC 9457 {@code application/problem+json} body; branch on {@code type}, never on text. */
public record ProblemBody(String type, String title, int status, String detail) {}
