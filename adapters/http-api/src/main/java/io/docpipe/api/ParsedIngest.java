package io.docpipe.api;

import io.docpipe.core.model.StopSignal;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestRequest;
import java.util.List;

/**
 * A validated {@code POST /v1/documents} body, ready to ingest now or later (a job runner accepts
 * it first and runs it afterwards).
 */
public record ParsedIngest(List<IngestRequest> requests) {

  public ParsedIngest {
    requests = List.copyOf(requests);
  }

  public int size() {
    return requests.size();
  }

  public IngestCommand command(StopSignal stop) {
    return new IngestCommand(requests, stop);
  }
}
