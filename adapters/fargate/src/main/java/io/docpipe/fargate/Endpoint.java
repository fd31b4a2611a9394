package io.docpipe.fargate;

import io.docpipe.fargate.FargateSettings.Scope;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every route the service answers, in one list: the server registers from it and a test holds it
 * equal to {@code openapi.yaml}. {@code scope} null means the route is open (the ALB's health
 * checks, Prometheus, the API description).
 */
enum Endpoint {
  INGEST("POST", "/v1/documents", Scope.WRITE),
  DELETE("DELETE", "/v1/documents/{id}", Scope.WRITE),
  SEARCH("POST", "/v1/search", Scope.READ),
  JOB("GET", "/v1/jobs/{id}", Scope.READ),
  STATS("GET", "/v1/stats", Scope.READ),
  OPENAPI("GET", "/openapi", null),
  METRICS("GET", "/metrics", null),
  /** Served by Helidon's health observer. */
  LIVENESS("GET", "/health/live", null),
  /** Served by Helidon's health observer; the ALB target group checks it. */
  READINESS("GET", "/health/ready", null);

  final String method;
  final String template;
  final @Nullable Scope scope;

  Endpoint(String method, String template, @Nullable Scope scope) {
    this.method = method;
    this.template = template;
    this.scope = scope;
  }

  /** The endpoint a request is for, by method and raw (still percent-encoded) path. */
  static Optional<Endpoint> find(String method, String rawPath) {
    for (Endpoint endpoint : values()) {
      if (endpoint.method.equals(method) && endpoint.matchesPath(rawPath)) {
        return Optional.of(endpoint);
      }
    }
    return Optional.empty();
  }

  /** The Helidon path pattern: an id may hold any character, '/' included (encoded or not). */
  String routePattern() {
    return template.replace("{id}", "{+id}");
  }

  /** Whether {@code path} has this endpoint's shape (a template segment matches one segment). */
  boolean matchesPath(String path) {
    String[] want = template.split("/", -1);
    String[] got = path.split("/", -1);
    if (want.length != got.length) {
      return false;
    }
    for (int i = 0; i < want.length; i++) {
      boolean variable = want[i].startsWith("{");
      if (variable ? got[i].isEmpty() : !want[i].equals(got[i])) {
        return false;
      }
    }
    return true;
  }
}
