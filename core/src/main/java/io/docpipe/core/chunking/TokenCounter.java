package io.docpipe.core.chunking;

/** Counts the tokens a text takes in the embedding model (special tokens excluded). */
@FunctionalInterface
public interface TokenCounter {
  int countTokens(String text);

  /**
   * Counts of ranges of one {@code text}, for a caller that asks about many overlapping ranges of
   * it (the {@link Chunker} does). Each answer must equal {@code countTokens(text.substring(start,
   * end))}; a counter that knows where its tokenizer cannot join text across (e.g. white space)
   * overrides this to count each word once and sum. The default counts each substring afresh.
   */
  default Ranges over(String text) {
    return (start, end) -> countTokens(text.substring(start, end));
  }

  /** Token counts of the ranges {@code [start, end)} of one text. */
  @FunctionalInterface
  interface Ranges {
    int countTokens(int start, int end);
  }
}
