package io.docpipe.api.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

/**
 * What happened to one document: {@code status} is {@code indexed} (with {@code chunks}), {@code
 * unchanged}, or {@code failed} (with {@code reason}, {@code retriable} and {@code detail}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DocumentResult(
    String id,
    String status,
    @Nullable Integer chunks,
    @Nullable String reason,
    @Nullable Boolean retriable,
    @Nullable String detail) {}
