package io.docpipe.fargate;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/** {@code GET /metrics}: the Prometheus text exposition of {@link ServiceMetrics}. */
record MetricsService(ServiceMetrics metrics) implements HttpService {

  @Override
  public void routing(HttpRules rules) {
    rules.get(
        Endpoint.METRICS.routePattern(),
        (req, res) ->
            res.header(HeaderNames.CONTENT_TYPE, metrics.contentType()).send(metrics.scrape()));
  }
}
