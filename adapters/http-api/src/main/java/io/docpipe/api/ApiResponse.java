package io.docpipe.api;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One HTTP response for a transport to send: status, headers and body bytes. */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

  public static final String JSON = "application/json";
  public static final String PROBLEM_JSON = "application/problem+json";

  public ApiResponse {
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("not an HTTP status: " + status);
    }
    headers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(body, "body");
  }

  /**
   * A JSON response whose body is written by the API's one strict mapper: for transports that add
   * routes of their own (jobs, stats) and must answer in the same JSON.
   */
  public static ApiResponse json(int status, Object body) {
    return Json.response(status, JSON, body);
  }

  public String contentType() {
    return headers.getOrDefault("Content-Type", "");
  }

  /** The body as UTF-8 text (all docpipe bodies are JSON). */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A copy with one more header, e.g. {@code Retry-After} or a request id. */
  public ApiResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ApiResponse(status, more, body);
  }
}
