package io.docpipe.core.fakes;

import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A deterministic bag-of-words embedder: each lower-cased word adds 1 to a hashed dimension, then
 * the vector is normalised. Texts sharing words are close, which is enough to test ranking. Counts
 * its calls and texts, and can be told to fail on texts matching a predicate.
 */
public final class WordHashEmbeddingModel implements EmbeddingModel {

  private final int dimension;
  private final int maxTokens;
  private final AtomicInteger calls = new AtomicInteger();
  private final AtomicInteger texts = new AtomicInteger();
  private volatile Predicate<String> failOn = t -> false;
  private volatile boolean failuresRetriable = true;

  public WordHashEmbeddingModel(int dimension, int maxTokens) {
    this.dimension = dimension;
    this.maxTokens = maxTokens;
  }

  public WordHashEmbeddingModel() {
    this(64, 64);
  }

  public void failOn(Predicate<String> predicate) {
    this.failOn = predicate;
  }

  /** Makes injected failures permanent ({@code retriable() == false}), like an API's 400. */
  public void failPermanently(Predicate<String> predicate) {
    this.failOn = predicate;
    this.failuresRetriable = false;
  }

  public int calls() {
    return calls.get();
  }

  public int textsEmbedded() {
    return texts.get();
  }

  @Override
  public String modelId() {
    return "fake:word-hash:" + dimension;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int maxInputTokens() {
    return maxTokens;
  }

  /** One token per run of letters or digits, and one per other non-space char. */
  @Override
  public int countTokens(String text) {
    int tokens = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetterOrDigit(cp)) {
        if (!inWord) {
          tokens++;
          inWord = true;
        }
      } else {
        inWord = false;
        if (!Character.isWhitespace(cp)) {
          tokens++;
        }
      }
    }
    return tokens;
  }

  @Override
  public List<float[]> embed(List<String> input) {
    calls.incrementAndGet();
    List<float[]> out = new ArrayList<>(input.size());
    for (String text : input) {
      if (failOn.test(text)) {
        throw new EmbeddingException("fake model refuses: " + text, failuresRetriable);
      }
      float[] v = new float[dimension];
      for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
        if (!word.isEmpty()) {
          v[Math.floorMod(word.hashCode(), dimension)] += 1;
        }
      }
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      if (norm == 0) {
        v[0] = 1;
        norm = 1;
      }
      float inv = (float) (1 / Math.sqrt(norm));
      for (int i = 0; i < v.length; i++) {
        v[i] *= inv;
      }
      out.add(v);
    }
    texts.addAndGet(input.size());
    return out;
  }
}
