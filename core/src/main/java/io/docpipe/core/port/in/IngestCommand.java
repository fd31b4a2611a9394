package io.docpipe.core.port.in;

import io.docpipe.core.model.StopSignal;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Documents to ingest, in order, and when to stop taking new ones. Each document id appears at most
 * once: a batch that names one twice is a caller error.
 */
public record IngestCommand(List<IngestRequest> documents, StopSignal stop) {

  public IngestCommand {
    documents = List.copyOf(documents);
    Objects.requireNonNull(stop, "stop");
    Set<Object> seen = new HashSet<>();
    for (IngestRequest request : documents) {
      if (!seen.add(request.documentId())) {
        throw new IllegalArgumentException(
            "document " + request.documentId() + " appears twice in one ingest command");
      }
    }
  }

  public static IngestCommand of(List<IngestRequest> documents) {
    return new IngestCommand(documents, StopSignal.NEVER);
  }
}
