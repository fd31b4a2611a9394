package io.docpipe.api.json;

import java.util.List;

/** The answer to {@code POST /v1/search}: hits, best first. */
public record SearchResponseBody(List<HitBody> hits) {}
