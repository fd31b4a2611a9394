package io.docpipe.fargate;

import io.docpipe.api.ApiProblemException;
import io.docpipe.api.ApiResponse;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.api.ParsedIngest;
import io.docpipe.api.Problem;
import io.docpipe.api.ProblemType;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;

/**
 * {@code /v1/documents}: {@code POST} ingests a small batch while the client waits (200) or accepts
 * a larger one as a job (202 + {@code Location}); {@code DELETE /v1/documents/{id}} removes one
 * document. The body is parsed once, and the same parse is ingested or queued.
 */
record DocumentsService(Lifecycle lifecycle, TimedWork timed, FargateSettings settings)
    implements HttpService {

  @Override
  public void routing(HttpRules rules) {
    rules
        .post(Endpoint.INGEST.routePattern(), Errors.handler(this::ingest))
        .delete(Endpoint.DELETE.routePattern(), Errors.handler(this::delete));
  }

  private ApiResponse ingest(ServerRequest req) throws ApiProblemException {
    Bodies.requireJson(req);
    byte[] body = Bodies.read(req, settings.limits().maxBodyBytes());
    Lifecycle.Loaded loaded = lifecycle.loaded();
    ParsedIngest parsed = loaded.api().parseIngest(body);
    if (parsed.size() <= settings.syncMaxDocuments()) {
      return timed.run(
          req, stop -> loaded.api().ingestResult(loaded.ingest().ingest(parsed.command(stop))));
    }
    try {
      JobQueue.JobView job = loaded.jobs().submit(parsed);
      return ApiResponse.json(202, JobsService.JobBody.of(job))
          .withHeader("Location", "/v1/jobs/" + job.id());
    } catch (JobQueue.QueueFullException e) {
      return new Problem(ProblemType.OVERLOADED, e.detail())
          .toResponse()
          .withHeader("Retry-After", "5");
    }
  }

  private ApiResponse delete(ServerRequest req) {
    Lifecycle.Loaded loaded = lifecycle.loaded();
    String encodedId = req.path().rawPath().substring(DocpipeHttpApi.DOCUMENTS.length() + 1);
    return timed.run(req, stop -> loaded.api().delete(encodedId));
  }
}
