package io.docpipe.fargate;

import io.docpipe.api.ApiResponse;
import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.docpipe.fargate.FargateSettings.Scope;
import io.docpipe.wiring.observe.Tracing;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What every API request goes through before its route, in one place: a request id (echoed, and on
 * every log line), in-flight and latency metrics, the access log line, and the gates in order —
 * draining (503 {@code shutting-down}), bearer auth (401/403), warm-up (503 {@code unavailable})
 * and {@link Admission} (503 {@code overloaded}). Open routes (health, metrics, the API
 * description) pass through, with their latency recorded.
 */
final class ApiFilter implements Filter {

  private static final System.Logger LOG = System.getLogger(ApiFilter.class.getName());
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:=;-]{1,128}");

  private final FargateSettings settings;
  private static final HeaderName TRACEPARENT = HeaderNames.create("traceparent");
  private static final HeaderName TRACESTATE = HeaderNames.create("tracestate");

  private final ServiceMetrics metrics;
  private final Tracing tracing;
  private final Lifecycle lifecycle;
  private final Admission admission;
  private final BearerAuth auth;

  ApiFilter(
      FargateSettings settings,
      ServiceMetrics metrics,
      Lifecycle lifecycle,
      Admission admission,
      Tracing tracing) {
    this.tracing = tracing;
    this.settings = settings;
    this.metrics = metrics;
    this.lifecycle = lifecycle;
    this.admission = admission;
    this.auth = new BearerAuth(settings);
  }

  @Override
  public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
    String method = req.prologue().method().text();
    Optional<Endpoint> found = Endpoint.find(method, req.path().rawPath());
    if (found.isEmpty() || found.get().scope == null) {
      open(chain, res, found.orElse(null));
      return;
    }
    Endpoint endpoint = found.get();
    long t0 = System.nanoTime();
    // One trace per request, continuing the caller's (W3C traceparent) when it sent one.
    Map<String, String> carrier = new HashMap<>();
    req.headers().first(TRACEPARENT).ifPresent(v -> carrier.put("traceparent", v));
    req.headers().first(TRACESTATE).ifPresent(v -> carrier.put("tracestate", v));
    Span span =
        tracing.startSpan(
            endpoint.method + " " + endpoint.template, SpanKind.SERVER, Tracing.fromW3c(carrier));
    span.setAttribute("http.request.method", endpoint.method);
    span.setAttribute("http.route", endpoint.template);
    io.opentelemetry.context.Scope scope = span.makeCurrent();
    String requestId = requestId(req);
    RequestContext.set(requestId);
    span.setAttribute("docpipe.request.id", requestId);
    res.header("X-Request-Id", requestId);
    metrics.requestStarted();
    lifecycle.activity().enter();
    Admission.Ticket ticket = null;
    try {
      ApiResponse refusal = refusal(endpoint, req);
      if (refusal == null) {
        ticket = admission.tryAdmit(bodyBytes(req)).orElse(null);
        if (ticket == null) {
          refusal =
              new Problem(ProblemType.OVERLOADED, admission.refusal())
                  .toResponse()
                  .withHeader("Retry-After", "1");
        }
      }
      if (refusal != null) {
        Errors.send(res, refusal);
      } else {
        req.context().register(ticket);
        chain.proceed();
      }
    } finally {
      if (ticket != null) {
        ticket.close();
      }
      lifecycle.activity().exit(); // only once the response is written: a drain must not cut it
      Duration took = Duration.ofNanos(System.nanoTime() - t0);
      int status = res.status().code();
      metrics.requestFinished();
      metrics.requestObserved(endpoint.template, endpoint.method, status, took);
      LOG.log(
          status >= 500 ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
          method + " " + req.path().rawPath() + " " + status + " " + took.toMillis() + "ms");
      RequestContext.clear();
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) {
        span.setStatus(StatusCode.ERROR);
      }
      scope.close();
      span.end();
    }
  }

  private void open(FilterChain chain, RoutingResponse res, @Nullable Endpoint endpoint) {
    long t0 = System.nanoTime();
    chain.proceed();
    if (endpoint == Endpoint.OPENAPI || endpoint == Endpoint.METRICS) {
      metrics.requestObserved(
          endpoint.template,
          endpoint.method,
          res.status().code(),
          Duration.ofNanos(System.nanoTime() - t0));
    }
  }

  /** The answer that stops the request before its route, or null when it may go on. */
  private @Nullable ApiResponse refusal(Endpoint endpoint, ServerRequest req) {
    Lifecycle.State now = lifecycle.state();
    if (now == Lifecycle.State.DRAINING || now == Lifecycle.State.STOPPED) {
      return new Problem(
              ProblemType.SHUTTING_DOWN, "this instance is stopping; retry on another one")
          .toResponse()
          .withHeader("Retry-After", "1")
          .withHeader("Connection", "close");
    }
    Scope needed = Objects.requireNonNull(endpoint.scope);
    String authorization = req.headers().first(HeaderNames.AUTHORIZATION).orElse(null);
    switch (auth.check(authorization, needed)) {
      case BearerAuth.Decision.Unauthenticated u -> {
        return new Problem(ProblemType.UNAUTHORIZED, u.detail())
            .toResponse()
            .withHeader("WWW-Authenticate", u.challenge());
      }
      case BearerAuth.Decision.Forbidden f -> {
        return new Problem(ProblemType.FORBIDDEN, f.detail())
            .toResponse()
            .withHeader("WWW-Authenticate", f.challenge());
      }
      case BearerAuth.Decision.Allowed a -> {}
    }
    if (now != Lifecycle.State.READY) {
      return new Problem(
              ProblemType.UNAVAILABLE,
              now == Lifecycle.State.FAILED
                  ? "the service failed to start: " + lifecycle.failure()
                  : "the embedding model is still loading; retry shortly")
          .toResponse()
          .withHeader("Retry-After", "2");
    }
    return null;
  }

  /**
   * The body bytes a request will hold: its declared length (none when it is over the limit: it is
   * refused unread), or the whole limit for a body of unknown length.
   */
  private long bodyBytes(ServerRequest req) {
    int max = settings.limits().maxBodyBytes();
    OptionalLong declared = req.headers().contentLength();
    if (declared.isPresent()) {
      return declared.getAsLong() > max ? 0 : declared.getAsLong();
    }
    return req.content().hasEntity() ? max : 0;
  }

  private static String requestId(ServerRequest req) {
    for (String header : new String[] {"X-Request-Id", "X-Amzn-Trace-Id"}) {
      Optional<String> value = req.headers().first(HeaderNames.create(header));
      if (value.isPresent() && SAFE_REQUEST_ID.matcher(value.get()).matches()) {
        return value.get();
      }
    }
    return UUID.randomUUID().toString();
  }
}
