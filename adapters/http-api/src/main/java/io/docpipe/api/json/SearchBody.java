package io.docpipe.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/search}: a query text, how many hits ({@code k}, default 10), a metadata {@code
 * filter} (each key maps to a string, which must equal, or to an array of strings, one of which
 * must equal), a {@code minScore} (cosine similarity) and whether to return every matching chunk
 * ({@code perChunk}) instead of the best chunk of each document. With {@code snippetChars} each
 * hit's {@code text} is cut to at most that many chars (1 to 100,000), so an answer's size is
 * bounded by {@code k} × {@code snippetChars}. {@code mode} ranks by meaning ({@code dense}), by
 * words ({@code lexical}, BM25) or by both fused ({@code hybrid}, the default); {@code minScore}
 * cuts the dense side and is refused in lexical mode.
 */
public record SearchBody(
    @Nullable String query,
    @Nullable Integer k,
    @Nullable Map<String, JsonNode> filter,
    @Nullable Double minScore,
    @Nullable Boolean perChunk,
    @Nullable Integer snippetChars,
    @Nullable String mode) {

  /** The largest snippet a search may ask for. */
  public static final int MAX_SNIPPET_CHARS = 100_000;
}
