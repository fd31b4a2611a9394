package io.docpipe.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.api.ApiRequest;
import io.docpipe.api.ApiResponse;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.docpipe.api.StrictJson;
import io.docpipe.core.model.StopSignal;
import io.docpipe.wiring.observe.Tracing;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lambda handler for HTTP requests through a Function URL or an API Gateway HTTP API, payload
 * format 2.0 ({@code io.docpipe.lambda.HttpHandler}): translates the event to the shared {@code
 * /v1} API ({@link io.docpipe.api.DocpipeHttpApi}) and its answer back. Routes, JSON shapes and
 * problem types are the shared module's, the same as on Fargate. A named API Gateway stage is
 * stripped from the path; {@code $default} has none.
 */
public final class HttpHandler implements RequestStreamHandler {

  private final Supplier<DocpipeHttpApi> http;
  private final Supplier<EmfMetrics> emf;
  private final Supplier<Tracing> tracing;

  /**
   * Called by the Lambda runtime; the execution environment's component is built on the first call
   * in the JVM (Lambda's init phase) and rebuilt when a secret it read has rotated.
   */
  public HttpHandler() {
    this(
        () -> LambdaEnvironment.component().http(),
        () -> LambdaEnvironment.component().emf(),
        () -> LambdaEnvironment.component().tracing());
    LambdaEnvironment.component();
  }

  HttpHandler(LambdaComponent component) {
    this(component::http, component::emf, component::tracing);
  }

  HttpHandler(DocpipeHttpApi http) {
    this(() -> http, discarded(), OFF);
  }

  private static final Tracing UNTRACED = Tracing.off("docpipe-lambda");
  private static final Supplier<Tracing> OFF = () -> UNTRACED;

  /** Metrics nobody drains except this handler (the SnapStart warm-up's requests). */
  private static Supplier<EmfMetrics> discarded() {
    EmfMetrics metrics = new EmfMetrics("", java.time.Clock.systemUTC());
    return () -> metrics;
  }

  /**
   * Asks {@code http} and {@code emf} on each invocation: the component is replaced when a secret
   * rotates.
   */
  HttpHandler(Supplier<DocpipeHttpApi> http, Supplier<EmfMetrics> emf, Supplier<Tracing> tracing) {
    this.http = http;
    this.emf = emf;
    this.tracing = tracing;
  }

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    ComponentHandler.answer(input, output, context, this::handle, emf);
  }

  /** The payload-2.0 response for an event; a malformed event is a 400 problem, never a throw. */
  byte[] handle(byte[] event, StopSignal stop) {
    ApiResponse response;
    try {
      ApiRequest request = request(StrictJson.readTree(event));
      // The caller's W3C traceparent when it sent one, else the invocation's X-Ray trace.
      io.opentelemetry.context.Context parent =
          Tracing.firstParent(
              List.of(Tracing.fromW3c(request.headers()), InvocationTrace.invocationParent()));
      response =
          InvocationTrace.inSpan(
              tracing.get(),
              "docpipe.http " + request.method(),
              parent,
              List.of(),
              () -> http.get().handle(request, stop));
    } catch (IllegalArgumentException e) {
      response =
          new Problem(ProblemType.MALFORMED_JSON, "not an HTTP API v2 event: " + e.getMessage())
              .toResponse();
    }
    ObjectNode out = StrictJson.objectNode();
    out.put("statusCode", response.status());
    ObjectNode headers = out.putObject("headers");
    response.headers().forEach(headers::put);
    out.put("body", new String(response.body(), StandardCharsets.UTF_8));
    out.put("isBase64Encoded", false);
    return StrictJson.write(out);
  }

  static ApiRequest request(JsonNode event) {
    JsonNode http = event.path("requestContext").path("http");
    String method = http.path("method").asText("");
    String path = event.path("rawPath").asText("");
    if (method.isEmpty() || path.isEmpty()) {
      throw new IllegalArgumentException("requestContext.http.method and rawPath are required");
    }
    String stage = event.path("requestContext").path("stage").asText("$default");
    if (!stage.equals("$default") && path.startsWith("/" + stage + "/")) {
      path = path.substring(stage.length() + 1);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> header : event.path("headers").properties()) {
      headers.put(header.getKey(), header.getValue().asText());
    }
    JsonNode bodyNode = event.path("body");
    byte[] body;
    if (bodyNode.isMissingNode() || bodyNode.isNull()) {
      body = new byte[0];
    } else if (event.path("isBase64Encoded").asBoolean(false)) {
      try {
        body = Base64.getDecoder().decode(bodyNode.asText());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("the body is marked base64 but is not", e);
      }
    } else {
      body = bodyNode.asText().getBytes(StandardCharsets.UTF_8);
    }
    return new ApiRequest(method, path, headers, body);
  }
}
