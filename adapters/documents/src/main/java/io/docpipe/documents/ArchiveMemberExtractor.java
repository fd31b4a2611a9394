package io.docpipe.documents;

import io.docpipe.core.model.Document;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.TextExtractor;
import java.util.Objects;

/**
 * An extractor of a zip-based or compressed format whose inflated bytes count against an {@link
 * Expansion}: its own when the document stands alone, the archive's when it is a member of one, so
 * a zip of bombs is bounded as a whole (ADR 0016).
 */
abstract class ArchiveMemberExtractor implements TextExtractor {

  /** The limits a document is held to. */
  final DocumentLimits limits;

  ArchiveMemberExtractor(DocumentLimits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * The text, stopping once it passes {@code maxChars}, counting inflation on {@code expansion}.
   */
  abstract String extract(Document document, int maxChars, Expansion expansion)
      throws ExtractionException;

  @Override
  public final String extract(Document document) throws ExtractionException {
    return extract(document, Integer.MAX_VALUE - 8);
  }

  @Override
  public final String extract(Document document, int maxChars) throws ExtractionException {
    return extract(document, maxChars, new Expansion(limits));
  }
}
