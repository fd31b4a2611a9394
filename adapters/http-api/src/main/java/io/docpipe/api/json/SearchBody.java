package io.docpipe.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/search}: a query text, how many hits ({@code k}, default 10), a metadata {@code
 * filter} (each key maps to a string, which must equal, or to an array of strings, one of which
 * must equal), a {@code minScore} (cosine similarity) and whether to return every matching chunk
 * ({@code perChunk}) instead of the best chunk of each document.
 */
public record SearchBody(
    @Nullable String query,
    @Nullable Integer k,
    @Nullable Map<String, JsonNode> filter,
    @Nullable Double minScore,
    @Nullable Boolean perChunk) {}
