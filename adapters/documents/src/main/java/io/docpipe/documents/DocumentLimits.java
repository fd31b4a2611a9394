package io.docpipe.documents;

/**
 * How much one document may expand into while its text is extracted. Every exceeded limit fails
 * that document as {@code TOO_LARGE} before the memory is spent. (The text limit comes with each
 * call: {@code TextExtractor.extract(document, maxChars)}.)
 *
 * @param maxExpandedBytes bytes that a document's compressed parts (zip entries, PDF streams) may
 *     inflate to, all together
 * @param maxCompressionRatio how many times larger than its compressed size one part may inflate
 *     (checked once a part has inflated past {@link #RATIO_GRACE_BYTES})
 * @param maxEntries entries of one zip container (an OOXML file or a zip archive)
 * @param maxNestingDepth archives inside archives; 1 means a zip may not contain another zip
 * @param maxGlyphsPerPage glyphs one PDF page may show: PDFBox holds an object per glyph until the
 *     page is written, so this bounds the heap one page takes (about 300 bytes a glyph)
 * @param maxOperatorsPerPage content-stream operators one PDF page (with its forms) may run: bounds
 *     the time a page takes, drawing operators included
 * @param maxTreeXmlBytes XML bytes of a DOCX or PPTX, all parts together: POI reads those as a tree
 *     of objects many times their size (spreadsheets are streamed and not limited by this)
 *     <p>Why these are counted, and their defaults: docs/adr/0016-extraction-budgets.md.
 */
public record DocumentLimits(
    long maxExpandedBytes,
    int maxCompressionRatio,
    int maxEntries,
    int maxNestingDepth,
    int maxGlyphsPerPage,
    int maxOperatorsPerPage,
    long maxTreeXmlBytes) {

  /** Small parts compress extremely well without harm (a page of spaces); the ratio waits. */
  public static final long RATIO_GRACE_BYTES = 100 * 1024;

  public static final long DEFAULT_MAX_EXPANDED_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_COMPRESSION_RATIO = 100;
  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  public static final int DEFAULT_MAX_NESTING_DEPTH = 2;

  /** A dense page of 6-point text shows about 20,000 glyphs. */
  public static final int DEFAULT_MAX_GLYPHS_PER_PAGE = 100_000;

  /** Generous for drawings; a page of this many operators takes about a second to interpret. */
  public static final int DEFAULT_MAX_OPERATORS_PER_PAGE = 2_000_000;

  /** A 1,000-page report is about 10 MiB of XML; as a POI tree it takes several times that. */
  public static final long DEFAULT_MAX_TREE_XML_BYTES = 24L * 1024 * 1024;

  public DocumentLimits {
    if (maxExpandedBytes < 1) {
      throw new IllegalArgumentException("max expanded bytes must be >= 1: " + maxExpandedBytes);
    }
    if (maxCompressionRatio < 1) {
      throw new IllegalArgumentException(
          "max compression ratio must be >= 1: " + maxCompressionRatio);
    }
    if (maxEntries < 1) {
      throw new IllegalArgumentException("max entries must be >= 1: " + maxEntries);
    }
    if (maxNestingDepth < 1) {
      throw new IllegalArgumentException("max nesting depth must be >= 1: " + maxNestingDepth);
    }
    if (maxGlyphsPerPage < 1 || maxOperatorsPerPage < 1 || maxTreeXmlBytes < 1) {
      throw new IllegalArgumentException(
          "per-page and XML tree limits must be >= 1: glyphs "
              + maxGlyphsPerPage
              + ", operators "
              + maxOperatorsPerPage
              + ", XML bytes "
              + maxTreeXmlBytes);
    }
  }

  /** The container limits, with the default per-page and XML tree budgets. */
  public DocumentLimits(
      long maxExpandedBytes, int maxCompressionRatio, int maxEntries, int maxNestingDepth) {
    this(
        maxExpandedBytes,
        maxCompressionRatio,
        maxEntries,
        maxNestingDepth,
        DEFAULT_MAX_GLYPHS_PER_PAGE,
        DEFAULT_MAX_OPERATORS_PER_PAGE,
        DEFAULT_MAX_TREE_XML_BYTES);
  }

  public static DocumentLimits defaults() {
    return new DocumentLimits(
        DEFAULT_MAX_EXPANDED_BYTES,
        DEFAULT_MAX_COMPRESSION_RATIO,
        DEFAULT_MAX_ENTRIES,
        DEFAULT_MAX_NESTING_DEPTH);
  }

  /** The same limits with another total of inflated bytes. */
  public DocumentLimits withMaxExpandedBytes(long bytes) {
    return new DocumentLimits(
        bytes,
        maxCompressionRatio,
        maxEntries,
        maxNestingDepth,
        maxGlyphsPerPage,
        maxOperatorsPerPage,
        maxTreeXmlBytes);
  }

  /** The same limits with other per-page budgets for PDF. */
  public DocumentLimits withPageBudget(int glyphs, int operators) {
    return new DocumentLimits(
        maxExpandedBytes,
        maxCompressionRatio,
        maxEntries,
        maxNestingDepth,
        glyphs,
        operators,
        maxTreeXmlBytes);
  }

  /** The same limits with another XML budget for DOCX and PPTX. */
  public DocumentLimits withMaxTreeXmlBytes(long bytes) {
    return new DocumentLimits(
        maxExpandedBytes,
        maxCompressionRatio,
        maxEntries,
        maxNestingDepth,
        maxGlyphsPerPage,
        maxOperatorsPerPage,
        bytes);
  }
}
