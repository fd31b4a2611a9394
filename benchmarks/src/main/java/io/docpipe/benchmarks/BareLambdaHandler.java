package io.docpipe.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The Lambda cold-start floor: a handler with no DI, no model, no index and no JSON library, run by
 * the same runtime interface client on the same class path as docpipe's handler.
 */
public final class BareLambdaHandler implements RequestStreamHandler {

  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    input.readAllBytes();
    output.write(
        "{\"statusCode\":200,\"body\":\"{\\\"hits\\\":[]}\"}".getBytes(StandardCharsets.UTF_8));
  }
}
