package io.docpipe.api;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request as a transport hands it over: the method, the path without its query string, the
 * headers (names compared case-insensitively) and the body bytes.
 */
public record ApiRequest(String method, String path, Map<String, String> headers, byte[] body) {

  public ApiRequest {
    method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    Objects.requireNonNull(path, "path");
    TreeMap<String, String> lowerCased = new TreeMap<>();
    headers.forEach((name, value) -> lowerCased.put(name.toLowerCase(Locale.ROOT), value));
    headers = java.util.Collections.unmodifiableMap(lowerCased);
    Objects.requireNonNull(body, "body");
  }

  public static ApiRequest of(String method, String path, byte[] body) {
    return new ApiRequest(method, path, Map.of(), body);
  }

  /** The value of a header, any case of its name, or null. */
  public @Nullable String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }
}
