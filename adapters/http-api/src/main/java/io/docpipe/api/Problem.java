package io.docpipe.api;

import java.util.Objects;

/** One error for a client: its stable type, its HTTP status and a detail saying what exactly. */
public record Problem(ProblemType type, String detail) {

  public Problem {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(detail, "detail");
  }

  public int status() {
    return type.status();
  }

  /** The {@code application/problem+json} response for this problem. */
  public ApiResponse toResponse() {
    return Json.problem(this);
  }
}
