package io.docpipe.api;

import java.net.URI;
import java.util.Locale;

/**
 * The stable kinds of error docpipe's API reports, each with its own {@code type} URI (RFC 9457)
 * that clients may branch on; titles and details are for people and may change.
 */
public enum ProblemType {
  MALFORMED_JSON(400, "Malformed JSON"),
  INVALID_REQUEST(400, "Invalid request"),
  UNAUTHORIZED(401, "Authentication required"),
  FORBIDDEN(403, "Not allowed"),
  NOT_FOUND(404, "Not found"),
  METHOD_NOT_ALLOWED(405, "Method not allowed"),
  TIMEOUT(408, "Request timed out"),
  PAYLOAD_TOO_LARGE(413, "Payload too large"),
  TOO_MANY_DOCUMENTS(413, "Too many documents"),
  UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
  INTERNAL(500, "Internal error"),
  /** A dependency (embedding model, vector store) cannot answer now; retry later. */
  UNAVAILABLE(503, "Temporarily unavailable"),
  /** The work queue is full; retry after the {@code Retry-After} delay. */
  OVERLOADED(503, "Overloaded"),
  /** The service is draining before it stops; retry on another instance. */
  SHUTTING_DOWN(503, "Shutting down");

  /** Every type URI starts with this. */
  public static final String BASE = "https://docpipe.io/problems/";

  private final int status;
  private final String title;

  ProblemType(int status, String title) {
    this.status = status;
    this.title = title;
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  /** {@code https://docpipe.io/problems/malformed-json} for {@link #MALFORMED_JSON}. */
  public URI uri() {
    return URI.create(BASE + name().toLowerCase(Locale.ROOT).replace('_', '-'));
  }
}
