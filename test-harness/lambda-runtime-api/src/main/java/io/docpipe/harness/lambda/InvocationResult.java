package io.docpipe.harness.lambda;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/** How a runtime answered one invocation: a response, or an error report. */
public sealed interface InvocationResult permits InvocationResult.Response, InvocationResult.Error {

  String requestId();

  /** The bytes the runtime posted, UTF-8 text for JSON. */
  byte[] body();

  default String bodyText() {
    return new String(body(), StandardCharsets.UTF_8);
  }

  /** {@code POST /runtime/invocation/{id}/response}. */
  record Response(String requestId, byte[] body) implements InvocationResult {
    public Response {
      Objects.requireNonNull(requestId, "requestId");
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }

  /**
   * {@code POST /runtime/invocation/{id}/error}: {@code errorType} from the {@code
   * Lambda-Runtime-Function-Error-Type} header (empty when absent), the body usually {@code
   * {"errorMessage":...,"errorType":...,"stackTrace":[...]}}.
   */
  record Error(String requestId, String errorType, byte[] body) implements InvocationResult {
    public Error {
      Objects.requireNonNull(requestId, "requestId");
      Objects.requireNonNull(errorType, "errorType");
      body = body.clone();
    }

    @Override
    public byte[] body() {
      return body.clone();
    }
  }
}
