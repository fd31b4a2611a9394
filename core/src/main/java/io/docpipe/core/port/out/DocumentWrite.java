package io.docpipe.core.port.out;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import java.util.List;
import java.util.Objects;

/**
 * A whole document's new state: its points for chunk indexes {@code 0..points.size()-1}. Writing it
 * replaces every point the document had before, including stale chunks past the new count.
 *
 * <p>{@code stamp} says how new this version is: taken just before its source was read (see {@link
 * WriteStamps}). A store never lets a write of an older (or the same) stamp replace points of a
 * newer one, so two writers of one document, processes or threads, end with the newer version
 * whole, never a mix (ADR 0027).
 */
public record DocumentWrite(
    DocumentId documentId, ContentHash documentHash, List<Point> points, long stamp) {

  /** Stamps stay below 2^53: Qdrant compares numbers in filters as doubles. */
  public static final long MAX_STAMP = (1L << 53) - 1;

  public DocumentWrite {
    Objects.requireNonNull(documentId, "documentId");
    Objects.requireNonNull(documentHash, "documentHash");
    points = List.copyOf(points);
    if (points.isEmpty()) {
      throw new IllegalArgumentException(
          "a document write needs at least one point: " + documentId);
    }
    if (stamp < 1 || stamp > MAX_STAMP) {
      throw new IllegalArgumentException(
          "stamp of " + documentId + " must be in 1.." + MAX_STAMP + ": " + stamp);
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
