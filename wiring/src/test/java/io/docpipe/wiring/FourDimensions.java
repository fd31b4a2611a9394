package io.docpipe.wiring;

import io.docpipe.core.port.out.EmbeddingModel;
import java.util.List;

/**
 * A model that only states a dimension (4): the vector store provider reads nothing else, and a
 * test that needs it never embeds.
 */
final class FourDimensions implements EmbeddingModel {

  @Override
  public String modelId() {
    return "test:four";
  }

  @Override
  public int dimension() {
    return 4;
  }

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
    throw new UnsupportedOperationException("a FourDimensions model does not embed");
  }
}
