package io.docpipe.core.port.in;

import io.docpipe.core.model.DocumentOutcome;
import java.util.List;

/**
 * What an ingestion did: one outcome per requested document in request order, and how many chunk
 * texts were sent to the embedding model.
 */
public record IngestReport(List<DocumentOutcome> outcomes, long chunksEmbedded)
    implements OutcomeReport {
  public IngestReport {
    outcomes = List.copyOf(outcomes);
  }
}
