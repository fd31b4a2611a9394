package io.docpipe.core.chunking;

/** Counts the tokens a text takes in the embedding model (special tokens excluded). */
@FunctionalInterface
public interface TokenCounter {
  int countTokens(String text);
}
