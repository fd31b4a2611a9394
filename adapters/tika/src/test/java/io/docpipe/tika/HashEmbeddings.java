package io.docpipe.tika;

import io.docpipe.core.port.out.EmbeddingModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A deterministic bag-of-words embedder: enough to index documents in these tests. */
final class HashEmbeddings implements EmbeddingModel {

  private static final int DIMENSION = 32;

  @Override
  public String modelId() {
    return "test:word-hash:" + DIMENSION;
  }

  @Override
  public int dimension() {
    return DIMENSION;
  }

  @Override
  public int maxInputTokens() {
    return 256;
  }

  @Override
  public int countTokens(String text) {
    String stripped = text.strip();
    return stripped.isEmpty() ? 0 : stripped.split("\\s+").length;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (String text : texts) {
      float[] v = new float[DIMENSION];
      v[0] = 1e-3f;
      for (String word : text.toLowerCase(Locale.ROOT).split("\\W+")) {
        if (!word.isEmpty()) {
          v[Math.floorMod(word.hashCode(), DIMENSION)] += 1;
        }
      }
      double norm = 0;
      for (float x : v) {
        norm += x * x;
      }
      for (int i = 0; i < DIMENSION; i++) {
        v[i] /= (float) Math.sqrt(norm);
      }
      vectors.add(v);
    }
    return vectors;
  }
}
