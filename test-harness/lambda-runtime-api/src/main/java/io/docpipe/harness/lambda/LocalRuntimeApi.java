package io.docpipe.harness.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A local Lambda Runtime API on 127.0.0.1, for running a function's real runtime (such as the AWS
 * Lambda runtime interface client) outside AWS. Start the runtime with {@code
 * AWS_LAMBDA_RUNTIME_API=}{@link #address()}; queue events with {@link #submit} or {@link #invoke},
 * or POST them to {@link #invokeUri()} as the Runtime Interface Emulator accepts them.
 *
 * <p>Served, as documented for custom runtimes: {@code GET /2018-06-01/runtime/invocation/next}
 * (waits for an event; headers {@code Lambda-Runtime-Aws-Request-Id}, {@code
 * Lambda-Runtime-Deadline-Ms}, {@code Lambda-Runtime-Invoked-Function-Arn}, {@code
 * Lambda-Runtime-Trace-Id}), {@code POST .../invocation/{id}/response}, {@code POST
 * .../invocation/{id}/error} and {@code POST .../runtime/init/error}. The emulator's {@code POST
 * /2015-03-31/functions/function/invocations} answers 200 with the function's response, or 200 with
 * {@code X-Amz-Function-Error: Unhandled} and the error body, like Lambda's Invoke API.
 *
 * <p>Not emulated: concurrency (one runtime polls one queue), extensions, telemetry, timeouts
 * enforced by killing the runtime (the deadline is only announced), response streaming.
 */
public final class LocalRuntimeApi implements AutoCloseable {

  public static final String FUNCTION_ARN =
      "arn:aws:lambda:us-east-1:000000000000:function:docpipe-local";
  private static final String RUNTIME = "/2018-06-01/runtime";
  private static final String INVOCATION = RUNTIME + "/invocation/";
  private static final String EMULATOR_INVOKE = "/2015-03-31/functions/function/invocations";
  private static final System.Logger LOG = System.getLogger(LocalRuntimeApi.class.getName());

  /** An event waiting for the runtime, and where its answer goes. */
  private record Pending(
      String requestId,
      byte[] event,
      Duration timeout,
      CompletableFuture<InvocationResult> result) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final Clock clock;
  private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();
  private final AtomicReference<@Nullable String> initError = new AtomicReference<>();
  private final AtomicInteger delivered = new AtomicInteger();
  private volatile boolean closed;

  private LocalRuntimeApi(HttpServer server, ExecutorService executor, Clock clock) {
    this.server = server;
    this.executor = executor;
    this.clock = clock;
  }

  /** Starts on 127.0.0.1 and a free port. */
  public static LocalRuntimeApi start() throws IOException {
    return start(Clock.systemUTC());
  }

  /** Starts on 127.0.0.1 and a free port; deadlines are computed from {@code clock}. */
  public static LocalRuntimeApi start(Clock clock) throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "local-runtime-api-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    LocalRuntimeApi api = new LocalRuntimeApi(server, executor, Objects.requireNonNull(clock));
    server.setExecutor(executor);
    server.createContext("/", api::serve);
    server.start();
    return api;
  }

  /** {@code host:port}, the value of {@code AWS_LAMBDA_RUNTIME_API} for the runtime. */
  public String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /**
   * The variables Lambda gives a function's runtime, with {@code AWS_LAMBDA_RUNTIME_API} pointing
   * at this API: an on-demand environment of function {@code functionName}, {@code $LATEST}, in
   * {@code us-east-1}.
   */
  public Map<String, String> functionVariables(String functionName) {
    return Map.of(
        "AWS_LAMBDA_RUNTIME_API", address(),
        "AWS_LAMBDA_FUNCTION_NAME", functionName,
        "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1769",
        "AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + functionName,
        "AWS_LAMBDA_LOG_STREAM_NAME", "local",
        "AWS_REGION", "us-east-1",
        "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
  }

  /** The emulator's invoke URL: POST an event, get the function's answer. */
  public URI invokeUri() {
    return URI.create("http://" + address() + EMULATOR_INVOKE);
  }

  /** How many events the runtime has taken so far. */
  public int delivered() {
    return delivered.get();
  }

  /** The error the runtime reported while initialising ({@code /runtime/init/error}), if any. */
  public Optional<String> initError() {
    return Optional.ofNullable(initError.get());
  }

  /**
   * Queues an event; the runtime is told it has {@code timeout} from when it takes the event.
   *
   * @return completes when the runtime posts a response or an error for it
   */
  public CompletableFuture<InvocationResult> submit(byte[] event, Duration timeout) {
    if (closed) {
      throw new IllegalStateException("the runtime API is closed");
    }
    Pending pending =
        new Pending(
            UUID.randomUUID().toString(), event.clone(), timeout, new CompletableFuture<>());
    queue.add(pending);
    return pending.result();
  }

  /**
   * Queues an event and waits at most {@code wait} for the runtime's answer.
   *
   * @throws TimeoutException when no answer came in time (or the runtime failed to start: see
   *     {@link #initError()})
   */
  public InvocationResult invoke(byte[] event, Duration timeout, Duration wait)
      throws TimeoutException, InterruptedException {
    CompletableFuture<InvocationResult> result = submit(event, timeout);
    try {
      return result.get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("invocation abandoned: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      result.cancel(false);
      throw new TimeoutException(
          "no answer within "
              + wait
              + initError().map(error -> "; the runtime failed to start: " + error).orElse(""));
    }
  }

  /** Stops serving; a runtime polling it then fails to connect. Closing twice is harmless. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.stop(0);
    executor.shutdownNow();
    CancellationException cancelled = new CancellationException("runtime API closed");
    queue.forEach(p -> p.result().completeExceptionally(cancelled));
    inFlight.values().forEach(p -> p.result().completeExceptionally(cancelled));
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (method.equals("GET") && path.equals(INVOCATION + "next")) {
        next(exchange);
      } else if (method.equals("POST") && path.equals(RUNTIME + "/init/error")) {
        String body = new String(read(exchange.getRequestBody()), StandardCharsets.UTF_8);
        initError.set(body);
        LOG.log(Level.WARNING, "runtime reported an init error: {0}", body);
        send(exchange, 202, "{\"status\":\"OK\"}");
      } else if (method.equals("POST") && path.startsWith(INVOCATION)) {
        answer(exchange, path.substring(INVOCATION.length()));
      } else if (method.equals("POST") && path.equals(EMULATOR_INVOKE)) {
        emulatorInvoke(exchange);
      } else {
        send(exchange, 404, "{\"errorType\":\"NotFound\",\"errorMessage\":\"" + path + "\"}");
      }
    }
  }

  private void next(HttpExchange exchange) throws IOException {
    Pending pending;
    try {
      do {
        pending = queue.take();
      } while (pending.result().isDone()); // cancelled by a caller that stopped waiting
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 500, "{\"errorType\":\"ShuttingDown\"}");
      return;
    }
    inFlight.put(pending.requestId(), pending);
    delivered.incrementAndGet();
    long deadline = clock.millis() + pending.timeout().toMillis();
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("Lambda-Runtime-Aws-Request-Id", pending.requestId());
    headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(deadline));
    headers.set("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
    headers.set(
        "Lambda-Runtime-Trace-Id",
        "Root=1-"
            + Long.toHexString(clock.millis() / 1000)
            + "-"
            + pending.requestId().replace("-", "").substring(0, 24)
            + ";Sampled=0");
    exchange.sendResponseHeaders(200, pending.event().length == 0 ? -1 : pending.event().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(pending.event());
    }
  }

  private void answer(HttpExchange exchange, String rest) throws IOException {
    int slash = rest.indexOf('/');
    String requestId = slash < 0 ? rest : rest.substring(0, slash);
    String kind = slash < 0 ? "" : rest.substring(slash + 1);
    byte[] body = read(exchange.getRequestBody());
    if (!kind.equals("response") && !kind.equals("error")) {
      send(exchange, 404, "{\"errorType\":\"NotFound\"}");
      return;
    }
    Pending pending = inFlight.remove(requestId);
    if (pending == null) {
      send(
          exchange,
          400,
          "{\"errorType\":\"InvalidRequestID\",\"errorMessage\":\"unknown or answered request id\"}");
      return;
    }
    String errorType = exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type");
    // The runtime's 202 goes out before the caller learns the answer: a caller that closes this
    // API as soon as it has the answer (an AOT cache's training run) then never cuts the runtime
    // off mid-post, so the runtime moves on to its next poll, as after any answer, instead of
    // failing its post and reporting that error on an error path the real service never takes.
    try {
      send(exchange, 202, "{\"status\":\"OK\"}");
    } finally {
      pending
          .result()
          .complete(
              kind.equals("response")
                  ? new InvocationResult.Response(requestId, body)
                  : new InvocationResult.Error(
                      requestId, errorType == null ? "" : errorType, body));
    }
  }

  private void emulatorInvoke(HttpExchange exchange) throws IOException {
    byte[] event = read(exchange.getRequestBody());
    CompletableFuture<InvocationResult> result = submit(event, Duration.ofMinutes(15));
    InvocationResult answer;
    try {
      answer = result.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 500, "{\"errorType\":\"ShuttingDown\"}");
      return;
    } catch (ExecutionException | CancellationException e) {
      send(exchange, 500, "{\"errorType\":\"ShuttingDown\"}");
      return;
    }
    if (answer instanceof InvocationResult.Error) {
      exchange.getResponseHeaders().set("X-Amz-Function-Error", "Unhandled");
    }
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    byte[] body = answer.body();
    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static byte[] read(InputStream in) throws IOException {
    return in.readAllBytes();
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
