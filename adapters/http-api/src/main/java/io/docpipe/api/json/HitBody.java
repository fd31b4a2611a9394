package io.docpipe.api.json;

import java.util.Map;

/** One search hit: the document, the matching chunk's text and position, and its score. */
public record HitBody(
    String documentId, double score, int chunkIndex, String text, Map<String, String> metadata) {}
