package io.docpipe.lambda;

import io.docpipe.api.ApiLimits;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.SearchReport;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The code an HTTP search event runs outside the model and the store, run once at init against use
 * cases that answer nothing: the JSON of the event, the API's request and answer, a span that is
 * not exported, the EMF lines that are discarded. Its classes are then loaded (and linked) by the
 * time the first invocation needs them, while the index opens on another thread. Touches no index,
 * model, network or log.
 */
final class EventPath {

  private static final byte[] SEARCH_EVENT =
      """
      {"version":"2.0","rawPath":"/v1/search","headers":{"content-type":"application/json"},
       "requestContext":{"http":{"method":"POST"},"stage":"$default"},
       "body":"{\\"query\\":\\"docpipe\\",\\"k\\":1}","isBase64Encoded":false}
      """
          .getBytes(StandardCharsets.UTF_8);

  private EventPath() {}

  /**
   * Runs one search event through the handler's code with use cases that find nothing; its answer
   * (a 200 with no hits) for tests.
   */
  static byte[] warmUp() {
    DocpipeHttpApi nothing =
        new DocpipeHttpApi(
            command -> {
              throw new UnsupportedOperationException("warm-up ingests nothing");
            },
            command -> new SearchReport(List.of()),
            command -> {
              throw new UnsupportedOperationException("warm-up deletes nothing");
            },
            ApiLimits.defaults());
    return new HttpHandler(nothing).handle(SEARCH_EVENT, () -> false);
  }
}
