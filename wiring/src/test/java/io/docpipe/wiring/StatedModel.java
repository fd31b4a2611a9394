package io.docpipe.wiring;

import io.docpipe.core.port.out.EmbeddingModel;
import java.util.List;

/**
 * A model that only states an id and a dimension: the vector store provider reads nothing else, and
 * a test that needs it never embeds.
 */
record StatedModel(String modelId, int dimension) implements EmbeddingModel {

  static final StatedModel FOUR_DIMENSIONS = new StatedModel("test:four", 4);

  @Override
  public int maxInputTokens() {
    return 100;
  }

  @Override
  public int countTokens(String text) {
    return text.length();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    throw new UnsupportedOperationException("a StatedModel does not embed");
  }
}
