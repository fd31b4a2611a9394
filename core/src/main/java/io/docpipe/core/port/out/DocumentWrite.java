package io.docpipe.core.port.out;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import java.util.List;
import java.util.Objects;

/**
 * A whole document's new state: its points for chunk indexes {@code 0..points.size()-1}. Writing it
 * replaces every point the document had before, including stale chunks past the new count.
 */
public record DocumentWrite(DocumentId documentId, ContentHash documentHash, List<Point> points) {

  public DocumentWrite {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(documentHash, "documentHash");
    points = List.copyOf(points);
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          "a document write needs at least one point: " + documentId);
    }
    for (int i = 0; i < points.size(); i++) {
      var payload = points.get(i).payload();
      if (!payload.documentId().equals(documentId)
          || payload.chunkIndex() != i
          || !payload.documentHash().equals(documentHash)) {
        throw new IllegalArgumentException(
            "point "
                + i
                + " of "
                + documentId
                + " must carry this document, its hash and chunk index "
                + i);
      }
    }
  }
}
