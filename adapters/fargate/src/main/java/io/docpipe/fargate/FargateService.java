package io.docpipe.fargate;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.api.ApiProblemException;
import io.docpipe.api.ApiRequest;
import io.docpipe.api.ApiResponse;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.api.ParsedIngest;
import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.docpipe.api.json.IngestResponseBody;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.model.StopSignal;
import io.docpipe.core.port.in.IngestDocuments;
import io.docpipe.fargate.FargateSettings.Scope;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP service: a Helidon SE 4 server over the shared {@link DocpipeHttpApi}, adding what a
 * long-lived task needs — jobs for large batches, limits, bearer auth, health, metrics, request ids
 * and a drain for SIGTERM.
 *
 * <p>Life cycle: {@link #start} listens at once and loads the model and the index on the warm-up
 * executor; until that is done API calls get 503 and readiness is down. {@link #drain} takes
 * readiness down, answers new API calls 503, lets requests and accepted jobs finish within the
 * budget, then stops the server and closes the index.
 */
public final class FargateService implements AutoCloseable {

  /** Where the service is in its life. */
  enum State {
    STARTING,
    READY,
    FAILED,
    DRAINING,
    STOPPED
  }

  private static final System.Logger LOG = System.getLogger(FargateService.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAFE_REQUEST_ID = Pattern.compile("[A-Za-z0-9._:=;-]{1,128}");
  private static final Duration QUIET_PERIOD = Duration.ofMillis(250);
  private static final String OPENAPI_RESOURCE = "/openapi.yaml";

  private final FargateComponent component;
  private final FargateSettings settings;
  private final ServiceMetrics metrics;
  private final BearerAuth auth;
  private final Activity activity = new Activity();
  private final ExecutorService timedWork = Executors.newVirtualThreadPerTaskExecutor();
  private final byte[] openApi;
  private final Instant startedAt = Instant.now();
  private final java.util.concurrent.CountDownLatch stopped =
      new java.util.concurrent.CountDownLatch(1);
  private final WebServer server;

  private volatile State state = State.STARTING;
  private volatile @Nullable String failure;
  private volatile @Nullable DocpipeHttpApi api;
  private volatile @Nullable JobQueue jobs;

  private FargateService(FargateComponent component) {
    this.component = component;
    this.settings = component.settings();
    this.metrics = component.metrics();
    this.auth = new BearerAuth(settings);
    this.openApi = readOpenApi();
    HealthObserver health =
        HealthObserver.builder()
            .endpoint("health")
            .details(true)
            .useSystemServices(false)
            .addCheck(this::liveness, HealthCheckType.LIVENESS, "docpipe")
            .addCheck(this::readiness, HealthCheckType.READINESS, "docpipe")
            .build();
    this.server =
        WebServer.builder()
            .host(settings.host())
            .port(settings.port())
            .shutdownHook(false)
            .featuresDiscoverServices(false)
            .addFeature(ObserveFeature.builder().endpoint("/").addObserver(health).build())
            .routing(this::routing)
            .build();
  }

  /**
   * Starts listening now and loads the model and the index on {@code warmUp}; the service is ready
   * when that is done.
   */
  static FargateService start(FargateComponent component, Executor warmUp) {
    FargateService service = new FargateService(component);
    service.server.start();
    LOG.log(
        System.Logger.Level.INFO,
        "docpipe listening on port " + service.port() + " (" + service.settings + ")");
    warmUp.execute(service::warmUp);
    return service;
  }

  public int port() {
    return server.port();
  }

  State state() {
    return state;
  }

  private void warmUp() {
    long t0 = System.nanoTime();
    try {
      DocpipeHttpApi loaded = component.api();
      IngestDocuments ingest = component.ingest();
      component.vectorStore().checkHealth();
      jobs = new JobQueue(ingest, metrics, settings.jobWorkers(), settings.queueCapacity());
      api = loaded;
      synchronized (this) {
        if (state == State.STARTING) {
          state = State.READY;
        }
      }
      long sinceProcessStart =
          ProcessHandle.current()
              .info()
              .startInstant()
              .map(s -> Duration.between(s, Instant.now()).toMillis())
              .orElse(-1L);
      LOG.log(
          System.Logger.Level.INFO,
          "docpipe ready: model "
              + component.embeddingModel().modelId()
              + " loaded in "
              + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)
              + " ms; "
              + sinceProcessStart
              + " ms since process start");
    } catch (RuntimeException e) {
      failure = e.getClass().getSimpleName() + ": " + e.getMessage();
      synchronized (this) {
        if (state == State.STARTING) {
          state = State.FAILED;
        }
      }
      LOG.log(System.Logger.Level.ERROR, "docpipe cannot start: the model or index failed", e);
    }
  }

  // ---- routing

  private void routing(HttpRouting.Builder routing) {
    for (Endpoint endpoint : Endpoint.values()) {
      String pattern = endpoint.template.replace("{id}", "{+id}");
      switch (endpoint) {
        case INGEST -> routing.post(pattern, api(endpoint, this::ingest));
        case DELETE -> routing.delete(pattern, api(endpoint, this::delete));
        case SEARCH -> routing.post(pattern, api(endpoint, this::search));
        case JOB -> routing.get(pattern, api(endpoint, this::job));
        case STATS -> routing.get(pattern, api(endpoint, this::stats));
        case OPENAPI -> routing.get(pattern, open(endpoint, this::openApi));
        case METRICS -> routing.get(pattern, open(endpoint, this::metrics));
        case LIVENESS, READINESS -> {} // the health observer serves them
      }
    }
    routing.any(this::fallback);
  }

  /** What an API handler sees: the request, its body (already size-checked) and its path id. */
  private record Call(ServerRequest request, byte[] body, String pathId) {}

  private io.helidon.webserver.http.Handler api(
      Endpoint endpoint, Function<Call, ApiResponse> handler) {
    return (req, res) -> {
      long t0 = System.nanoTime();
      String requestId = requestId(req);
      RequestContext.set(requestId);
      metrics.requestStarted();
      activity.enter();
      ApiResponse response;
      try {
        response = serve(endpoint, req, handler);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.ERROR, endpoint + " failed unexpectedly", e);
        response =
            new Problem(ProblemType.INTERNAL, "unexpected " + e.getClass().getSimpleName())
                .toResponse();
      }
      try {
        send(res, response.withHeader("X-Request-Id", requestId));
      } finally {
        activity.exit(); // only once the response is written: a drain must not cut it off
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        metrics.requestFinished();
        metrics.requestObserved(endpoint.template, endpoint.method, response.status(), took);
        LOG.log(
            response.status() >= 500 ? System.Logger.Level.WARNING : System.Logger.Level.INFO,
            endpoint.method
                + " "
                + req.path().rawPath()
                + " "
                + response.status()
                + " "
                + took.toMillis()
                + "ms");
        RequestContext.clear();
      }
    };
  }

  private ApiResponse serve(
      Endpoint endpoint, ServerRequest req, Function<Call, ApiResponse> handler) {
    State now = state;
    if (now == State.DRAINING || now == State.STOPPED) {
      return new Problem(
              ProblemType.SHUTTING_DOWN, "this instance is stopping; retry on another one")
          .toResponse()
          .withHeader("Retry-After", "1")
          .withHeader("Connection", "close");
    }
    Scope needed = Objects.requireNonNull(endpoint.scope);
    String authorization =
        req.headers().first(io.helidon.http.HeaderNames.AUTHORIZATION).orElse(null);
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
    if (now != State.READY) {
      return new Problem(
              ProblemType.UNAVAILABLE,
              now == State.FAILED
                  ? "the service failed to start: " + failure
                  : "the embedding model is still loading; retry shortly")
          .toResponse()
          .withHeader("Retry-After", "2");
    }
    byte[] body;
    try {
      body = readBody(req, settings.limits().maxBodyBytes());
    } catch (ApiProblemException e) {
      // The rest of an oversized body is not read: the connection cannot be reused.
      return e.problem().toResponse().withHeader("Connection", "close");
    }
    String pathId = req.path().pathParameters().first("id").orElse("");
    return handler.apply(new Call(req, body, pathId));
  }

  private static byte[] readBody(ServerRequest req, int max) throws ApiProblemException {
    OptionalLong declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > max) {
      throw tooLarge(declared.getAsLong() + " bytes", max);
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    try (InputStream in = req.content().inputStream()) {
      byte[] body = in.readNBytes(max + 1);
      if (body.length > max) {
        throw tooLarge("more than " + max + " bytes", max);
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ApiProblemException tooLarge(String size, int max) {
    return new ApiProblemException(
        new Problem(
            ProblemType.PAYLOAD_TOO_LARGE, "the body is " + size + "; the limit is " + max));
  }

  private io.helidon.webserver.http.Handler open(
      Endpoint endpoint, Function<ServerRequest, ApiResponse> handler) {
    return (req, res) -> {
      long t0 = System.nanoTime();
      ApiResponse response = handler.apply(req);
      send(res, response);
      metrics.requestObserved(
          endpoint.template,
          endpoint.method,
          response.status(),
          Duration.ofNanos(System.nanoTime() - t0));
    };
  }

  /** 405 for a known path with another method, 404 for everything else; always a problem. */
  private void fallback(ServerRequest req, ServerResponse res) {
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
    ApiResponse response =
        allowed.isEmpty()
            ? new Problem(ProblemType.NOT_FOUND, "no route " + path).toResponse()
            : new Problem(
                    ProblemType.METHOD_NOT_ALLOWED,
                    method + " is not allowed on " + path + "; use " + allowed)
                .toResponse()
                .withHeader("Allow", allowed);
    send(res, response);
  }

  // ---- handlers

  private ApiResponse ingest(Call call) {
    DocpipeHttpApi api = Objects.requireNonNull(this.api);
    String contentType = call.request().headers().contentType().map(Object::toString).orElse(null);
    if (contentType != null && !isJson(contentType)) {
      return new Problem(
              ProblemType.UNSUPPORTED_MEDIA_TYPE, "send application/json, not " + contentType)
          .toResponse();
    }
    ParsedIngest parsed;
    try {
      parsed = api.parseIngest(call.body());
    } catch (ApiProblemException e) {
      return e.problem().toResponse();
    }
    if (parsed.size() <= settings.syncMaxDocuments()) {
      return withTimeout(stop -> api.ingest(call.body(), stop));
    }
    try {
      JobQueue.JobView job = Objects.requireNonNull(jobs).submit(parsed);
      return json(202, JobBody.of(job)).withHeader("Location", "/v1/jobs/" + job.id());
    } catch (JobQueue.QueueFullException e) {
      return new Problem(ProblemType.OVERLOADED, e.getMessage())
          .toResponse()
          .withHeader("Retry-After", "5");
    }
  }

  private ApiResponse search(Call call) {
    DocpipeHttpApi api = Objects.requireNonNull(this.api);
    ApiRequest request =
        new ApiRequest("POST", DocpipeHttpApi.SEARCH, headers(call.request()), call.body());
    return withTimeout(stop -> api.handle(request, stop));
  }

  private ApiResponse delete(Call call) {
    DocpipeHttpApi api = Objects.requireNonNull(this.api);
    String rawPath = call.request().path().rawPath();
    String encodedId = rawPath.substring(DocpipeHttpApi.DOCUMENTS.length() + 1);
    return withTimeout(stop -> api.delete(encodedId));
  }

  private ApiResponse job(Call call) {
    return Objects.requireNonNull(jobs)
        .get(call.pathId())
        .map(job -> json(200, JobBody.of(job)))
        .orElseGet(
            () ->
                new Problem(
                        ProblemType.NOT_FOUND,
                        "no job " + call.pathId() + " (finished jobs are kept in memory only)")
                    .toResponse());
  }

  private ApiResponse stats(Call call) {
    JobQueue queue = Objects.requireNonNull(jobs);
    return json(
        200,
        new StatsBody(
            component.vectorStore().count(),
            component.embeddingModel().dimension(),
            component.embeddingModel().modelId(),
            queue.queued(),
            queue.running(),
            Duration.between(startedAt, Instant.now()).toSeconds()));
  }

  private ApiResponse openApi(ServerRequest req) {
    return new ApiResponse(200, Map.of("Content-Type", "application/yaml"), openApi);
  }

  private ApiResponse metrics(ServerRequest req) {
    return new ApiResponse(200, Map.of("Content-Type", metrics.contentType()), metrics.scrape());
  }

  /**
   * Runs {@code work} with the request timeout. On timeout the client gets 408 at once and the work
   * is asked to stop between documents; it keeps counting as activity, so a drain waits for it.
   */
  private ApiResponse withTimeout(Function<StopSignal, ApiResponse> work) {
    AtomicBoolean stop = new AtomicBoolean();
    String requestId = RequestContext.requestId();
    activity.enter();
    Future<ApiResponse> future;
    try {
      future =
          timedWork.submit(
              () -> {
                if (requestId != null) {
                  RequestContext.set(requestId);
                }
                try {
                  return work.apply(stop::get);
                } finally {
                  RequestContext.clear();
                  activity.exit();
                }
              });
    } catch (RuntimeException e) {
      activity.exit();
      throw e;
    }
    try {
      return future.get(settings.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      stop.set(true);
      return new Problem(
              ProblemType.TIMEOUT,
              "not answered within " + settings.requestTimeout().toMillis() + " ms")
          .toResponse();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop.set(true);
      return new Problem(ProblemType.SHUTTING_DOWN, "interrupted").toResponse();
    }
  }

  // ---- health

  private HealthCheckResponse liveness() {
    State now = state;
    return HealthCheckResponse.builder()
        .status(now != State.FAILED)
        .detail("state", now.name().toLowerCase(Locale.ROOT))
        .build();
  }

  private HealthCheckResponse readiness() {
    State now = state;
    HealthCheckResponse.Builder response =
        HealthCheckResponse.builder().detail("state", now.name().toLowerCase(Locale.ROOT));
    if (now != State.READY) {
      return response.status(false).build();
    }
    try {
      component.vectorStore().checkHealth();
      return response.status(true).build();
    } catch (RuntimeException e) {
      return response.status(false).detail("vectorStore", String.valueOf(e.getMessage())).build();
    }
  }

  // ---- drain

  /**
   * Drains and stops: readiness goes down and new API calls get 503 at once; requests in flight and
   * accepted jobs get {@code budget}: after 80% of it, running jobs are asked to stop after their
   * current document. Then the server stops and the index is closed.
   *
   * @return whether everything finished within the budget
   */
  public boolean drain(Duration budget) {
    synchronized (this) {
      if (state == State.DRAINING || state == State.STOPPED) {
        return true;
      }
      state = State.DRAINING;
    }
    long start = System.nanoTime();
    long deadline = start + budget.toNanos();
    long stopJobsAt = start + budget.toNanos() * 4 / 5;
    LOG.log(
        System.Logger.Level.INFO,
        "draining: readiness down, new requests refused; budget " + budget.toMillis() + " ms");
    JobQueue queue = jobs;
    boolean clean;
    try {
      if (queue != null) {
        queue.shutdown();
        if (!queue.awaitTermination(
            TimeUnit.NANOSECONDS.toMillis(stopJobsAt - System.nanoTime()))) {
          LOG.log(System.Logger.Level.WARNING, "jobs still running: asking them to stop");
          queue.requestStop();
          queue.awaitTermination(TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
        }
      }
      clean = activity.awaitIdle(QUIET_PERIOD, deadline);
      clean &= queue == null || queue.awaitTermination(0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clean = false;
    }
    server.stop();
    timedWork.shutdownNow();
    if (api != null) {
      component.resources().close(); // asking for it before the warm-up would load the model
    }
    state = State.STOPPED;
    stopped.countDown();
    LOG.log(
        clean ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
        "stopped after "
            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)
            + " ms drain; "
            + (clean ? "all work finished" : activity.active() + " requests cut short"));
    return clean;
  }

  /** Blocks until {@link #drain} has stopped the service (the main thread waits here). */
  public void awaitStopped() {
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Drains with the configured budget. */
  @Override
  public void close() {
    drain(settings.drainBudget());
  }

  // ---- helpers

  private static String requestId(ServerRequest req) {
    for (String header : new String[] {"X-Request-Id", "X-Amzn-Trace-Id"}) {
      Optional<String> value = req.headers().first(io.helidon.http.HeaderNames.create(header));
      if (value.isPresent() && SAFE_REQUEST_ID.matcher(value.get()).matches()) {
        return value.get();
      }
    }
    return UUID.randomUUID().toString();
  }

  private static Map<String, String> headers(ServerRequest req) {
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    req.headers().forEach(h -> headers.put(h.name(), h.get()));
    return headers;
  }

  private static boolean isJson(String contentType) {
    String essence = MediaTypes.essence(contentType);
    return essence.equals("application/json") || essence.endsWith("+json");
  }

  private static void send(ServerResponse res, ApiResponse response) {
    res.status(response.status());
    response.headers().forEach(res::header);
    res.send(response.body());
  }

  private static ApiResponse json(int status, Object body) {
    try {
      return new ApiResponse(
          status, Map.of("Content-Type", ApiResponse.JSON), JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + body.getClass().getSimpleName(), e);
    }
  }

  private static byte[] readOpenApi() {
    try (InputStream in = FargateService.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code GET /v1/jobs/{id}} and the 202 body. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record JobBody(
      String id,
      String status,
      int documents,
      String acceptedAt,
      @Nullable String finishedAt,
      @Nullable IngestResponseBody result,
      @Nullable String error) {
    static JobBody of(JobQueue.JobView job) {
      return new JobBody(
          job.id(),
          job.status().name().toLowerCase(Locale.ROOT),
          job.documents(),
          job.acceptedAt().toString(),
          job.finishedAt() == null ? null : String.valueOf(job.finishedAt()),
          job.result(),
          job.error());
    }
  }

  /** {@code GET /v1/stats}. */
  record StatsBody(
      long points,
      int dimension,
      String model,
      int jobsQueued,
      int jobsRunning,
      long uptimeSeconds) {}
}
