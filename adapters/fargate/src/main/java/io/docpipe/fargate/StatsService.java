package io.docpipe.fargate;

import io.docpipe.api.ApiResponse;
import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.docpipe.core.port.in.IndexDescription;
import io.docpipe.core.port.out.VectorStoreException;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code GET /v1/stats}: what the index holds (through {@code DescribeIndex}) and the job queue.
 */
record StatsService(Lifecycle lifecycle) implements HttpService {

  @Override
  public void routing(HttpRules rules) {
    rules.get(Endpoint.STATS.routePattern(), Errors.handler(this::stats));
  }

  private ApiResponse stats(ServerRequest req) {
    Lifecycle.Loaded loaded = lifecycle.loaded();
    IndexDescription index;
    try {
      index = loaded.index().describe();
    } catch (VectorStoreException e) {
      return new Problem(ProblemType.UNAVAILABLE, "the vector store cannot count now; retry later")
          .toResponse()
          .withHeader("Retry-After", "1");
    }
    return ApiResponse.json(
        200,
        new StatsBody(
            index.points(),
            index.dimension(),
            index.model(),
            loaded.jobs().queued(),
            loaded.jobs().running(),
            Duration.between(lifecycle.startedAt(), Instant.now()).toSeconds()));
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
