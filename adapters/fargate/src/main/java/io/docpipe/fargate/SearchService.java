package io.docpipe.fargate;

import io.docpipe.api.ApiResponse;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;

/** {@code POST /v1/search}: the shared API's search, under the request timeout. */
record SearchService(Lifecycle lifecycle, TimedWork timed, FargateSettings settings)
    implements HttpService {

  @Override
  public void routing(HttpRules rules) {
    rules.post(Endpoint.SEARCH.routePattern(), Errors.handler(this::search));
  }

  private ApiResponse search(ServerRequest req) {
    Bodies.requireJson(req);
    byte[] body = Bodies.read(req, settings.limits().maxBodyBytes());
    Lifecycle.Loaded loaded = lifecycle.loaded();
    return timed.run(req, stop -> loaded.api().search(body));
  }
}
