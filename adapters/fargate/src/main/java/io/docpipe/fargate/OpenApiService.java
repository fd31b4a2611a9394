package io.docpipe.fargate;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** {@code GET /openapi}: the API description shipped in the jar (a test holds it to the routes). */
final class OpenApiService implements HttpService {

  private static final String RESOURCE = "/openapi.yaml";

  private final byte[] document = read();

  @Override
  public void routing(HttpRules rules) {
    rules.get(
        Endpoint.OPENAPI.routePattern(),
        (req, res) -> res.header(HeaderNames.CONTENT_TYPE, "application/yaml").send(document));
  }

  private static byte[] read() {
    try (InputStream in = OpenApiService.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
