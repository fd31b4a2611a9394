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
 */
public record DocumentLimits(
    long maxExpandedBytes, int maxCompressionRatio, int maxEntries, int maxNestingDepth) {

  /** Small parts compress extremely well without harm (a page of spaces); the ratio waits. */
  public static final long RATIO_GRACE_BYTES = 100 * 1024;

  public static final long DEFAULT_MAX_EXPANDED_BYTES = 64L * 1024 * 1024;
  public static final int DEFAULT_MAX_COMPRESSION_RATIO = 100;
  public static final int DEFAULT_MAX_ENTRIES = 10_000;
  public static final int DEFAULT_MAX_NESTING_DEPTH = 2;

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
    return new DocumentLimits(bytes, maxCompressionRatio, maxEntries, maxNestingDepth);
  }
}
