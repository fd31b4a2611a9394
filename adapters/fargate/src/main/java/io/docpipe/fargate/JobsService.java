package io.docpipe.fargate;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.docpipe.api.ApiResponse;
import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.docpipe.api.json.IngestResponseBody;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** {@code GET /v1/jobs/{id}}: an ingestion job accepted with 202, while it is remembered. */
record JobsService(Lifecycle lifecycle) implements HttpService {

  @Override
  public void routing(HttpRules rules) {
    rules.get(Endpoint.JOB.routePattern(), Errors.handler(this::job));
  }

  private ApiResponse job(ServerRequest req) {
    String id = req.path().pathParameters().first("id").orElse("");
    return lifecycle
        .loaded()
        .jobs()
        .get(id)
        .map(job -> ApiResponse.json(200, JobBody.of(job)))
        .orElseGet(
            () ->
                new Problem(
                        ProblemType.NOT_FOUND,
                        "no job " + id + " (finished jobs are kept in memory only)")
                    .toResponse());
  }

  /** {@code GET /v1/jobs/{id}} and the 202 body. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record JobBody(
      String id,
      String status,
      int documents,
      String acceptedAt,
      @Nullable String finishedAt,
      @Nullable IngestResponseBody result,
      @Nullable String error) {
    static JobBody of(JobQueue.JobView job) {
      return new JobBody(
          job.id(),
          job.status().name().toLowerCase(Locale.ROOT),
          job.documents(),
          job.acceptedAt().toString(),
          job.finishedAt() == null ? null : String.valueOf(job.finishedAt()),
          job.result(),
          job.error());
    }
  }
}
