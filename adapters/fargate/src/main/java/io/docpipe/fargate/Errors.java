package io.docpipe.fargate;

import io.docpipe.api.ApiProblemException;
import io.docpipe.api.ApiResponse;
import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Every error the service answers becomes an {@code application/problem+json} response here: a
 * route's {@link ApiProblemException} or {@link Refusal}, an unexpected exception (500), a path
 * with no route (404) or another method (405), and the protocol errors Helidon answers before any
 * route runs (malformed request line or headers).
 */
final class Errors {

  private static final System.Logger LOG = System.getLogger(Errors.class.getName());

  private Errors() {}

  /** One API route: its response, or the problem that stops it. */
  @FunctionalInterface
  interface Route {
    ApiResponse serve(ServerRequest req) throws ApiProblemException;
  }

  /**
   * A response to send instead of the route's own, with its headers (a 413 that closes the
   * connection, a 415).
   */
  static final class Refusal extends RuntimeException {
    private final ApiResponse response;

    Refusal(ApiResponse response) {
      super(response.bodyText(), null, false, false);
      this.response = response;
    }

    Refusal(Problem problem) {
      this(problem.toResponse());
    }

    ApiResponse response() {
      return response;
    }
  }

  /** A Helidon handler for a route, with its errors mapped. */
  static Handler handler(Route route) {
    return (req, res) -> send(res, respond(route, req));
  }

  private static ApiResponse respond(Route route, ServerRequest req) {
    try {
      return route.serve(req);
    } catch (ApiProblemException e) {
      return e.problem().toResponse();
    } catch (Refusal e) {
      return e.response();
    } catch (RuntimeException e) {
      return internal(e);
    }
  }

  /** The last rules of the routing: 404/405 for what no route took, 500 for anything thrown. */
  static void register(HttpRouting.Builder routing) {
    routing.any(Errors::fallback);
    routing.error(Throwable.class, (req, res, e) -> send(res, internal(e)));
  }

  /** Protocol errors Helidon answers itself, before routing: a problem too. */
  static DirectHandlers directHandlers() {
    DirectHandler problem = new ProtocolErrors();
    return DirectHandlers.builder()
        .addHandler(DirectHandler.EventType.BAD_REQUEST, problem)
        .addHandler(DirectHandler.EventType.PAYLOAD_TOO_LARGE, problem)
        .addHandler(DirectHandler.EventType.INTERNAL_ERROR, problem)
        .build();
  }

  /**
   * Requests Helidon could not read. Outside routing (whose errors {@link #register} maps), an
   * "internal error" with no request line parsed is a request line Helidon's parser threw on (a
   * method token with a NUL byte): the client's fault, so 400. Helidon passes no cause here, and
   * its message only when it is safe to echo.
   */
  private static final class ProtocolErrors implements DirectHandler {

    @Override
    public TransportResponse handle(
        TransportRequest request,
        EventType event,
        Status status,
        ServerResponseHeaders headers,
        String message) {
      boolean unreadable = event == EventType.INTERNAL_ERROR && request.method().isEmpty();
      ProblemType type =
          unreadable
              ? ProblemType.INVALID_REQUEST
              : switch (status.code()) {
                case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
                case 500 -> ProblemType.INTERNAL;
                default -> ProblemType.INVALID_REQUEST;
              };
      String detail =
          unreadable
              ? "malformed HTTP request: the request line could not be parsed"
              // The message may quote what the client sent: keep it short and printable.
              : "malformed HTTP request: " + printable(message);
      ApiResponse response = new Problem(type, detail).toResponse();
      headers.set(HeaderNames.CONTENT_TYPE, ApiResponse.PROBLEM_JSON);
      return TransportResponse.builder()
          .status(Status.create(type.status()))
          .headers(headers)
          .keepAlive(false)
          .entity(response.body())
          .build();
    }
  }

  private static String printable(@Nullable String message) {
    String clean = message == null ? "" : message.replaceAll("[^\\x20-\\x7E]", "?");
    return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
  }

  /** 405 for a known path with another method, 404 for everything else; always a problem. */
  private static void fallback(ServerRequest req, ServerResponse res) {
    String path = req.path().path();
    if (path.startsWith("/health")) {
      res.next(); // the health observer's routes come after this one
      return;
    }
    String method = req.prologue().method().text();
    String allowed =
        Arrays.stream(Endpoint.values())
            .filter(e -> e.matchesPath(path))
            .map(e -> e.method)
            .distinct()
            .reduce((a, b) -> a + ", " + b)
            .orElse("");
    send(
        res,
        allowed.isEmpty()
            ? new Problem(ProblemType.NOT_FOUND, "no route " + path).toResponse()
            : new Problem(
                    ProblemType.METHOD_NOT_ALLOWED,
                    method + " is not allowed on " + path + "; use " + allowed)
                .toResponse()
                .withHeader("Allow", allowed));
  }

  private static ApiResponse internal(Throwable e) {
    LOG.log(System.Logger.Level.ERROR, "a request failed unexpectedly", e);
    return new Problem(ProblemType.INTERNAL, "unexpected " + e.getClass().getSimpleName())
        .toResponse();
  }

  static void send(ServerResponse res, ApiResponse response) {
    res.status(response.status());
    response.headers().forEach(res::header);
    res.send(response.body());
  }
}
