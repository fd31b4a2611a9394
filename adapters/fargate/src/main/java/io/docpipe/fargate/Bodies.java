package io.docpipe.fargate;

import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.docpipe.core.model.MediaTypes;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/** Reads a request body once, within the size limit, and refuses what is not JSON. */
final class Bodies {

  private Bodies() {}

  /**
   * The body, at most {@code max} bytes.
   *
   * @throws Errors.Refusal 413 when the body is larger (the rest is not read, so the connection
   *     closes); 400 when its framing is broken (a chunk that does not parse, fewer bytes than
   *     {@code Content-Length} declared)
   */
  static byte[] read(ServerRequest req, int max) {
    OptionalLong declared = req.headers().contentLength();
    if (declared.isPresent() && declared.getAsLong() > max) {
      throw tooLarge(declared.getAsLong() + " bytes", max);
    }
    if (!req.content().hasEntity()) {
      return new byte[0];
    }
    byte[] body;
    try (InputStream in = req.content().inputStream()) {
      body = in.readNBytes(max + 1);
    } catch (IOException | UncheckedIOException e) {
      throw malformed("the body could not be read: " + e.getMessage());
    } catch (RuntimeException e) {
      // Helidon reports a broken chunked encoding or an early end of the body this way.
      throw malformed(
          declared.isPresent()
              ? "the body ended before the " + declared.getAsLong() + " bytes of its Content-Length"
              : "the chunked body's framing is invalid (" + e.getClass().getSimpleName() + ")");
    }
    if (body.length > max) {
      throw tooLarge("more than " + max + " bytes", max);
    }
    if (declared.isPresent() && body.length < declared.getAsLong()) {
      throw malformed(
          "the body ended after " + body.length + " of " + declared.getAsLong() + " bytes");
    }
    return body;
  }

  /** 415 unless the request says nothing about its type or says JSON. */
  static void requireJson(ServerRequest req) {
    String contentType = req.headers().contentType().map(Object::toString).orElse(null);
    if (contentType == null) {
      return;
    }
    String essence = MediaTypes.essence(contentType);
    if (!essence.equals("application/json") && !essence.endsWith("+json")) {
      throw new Errors.Refusal(
          new Problem(
              ProblemType.UNSUPPORTED_MEDIA_TYPE, "send application/json, not " + contentType));
    }
  }

  private static Errors.Refusal tooLarge(String size, int max) {
    return new Errors.Refusal(
        new Problem(ProblemType.PAYLOAD_TOO_LARGE, "the body is " + size + "; the limit is " + max)
            .toResponse()
            .withHeader("Connection", "close"));
  }

  private static Errors.Refusal malformed(String detail) {
    return new Errors.Refusal(
        new Problem(ProblemType.INVALID_REQUEST, detail)
            .toResponse()
            .withHeader("Connection", "close"));
  }
}
