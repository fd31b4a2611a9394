package io.docpipe.wiring;

import io.docpipe.core.chunking.TokenCounter;
import io.docpipe.core.port.out.EmbeddingModel;
import java.util.List;

/** An embedding model whose API key may rotate: see {@link Rotating}. */
final class RotatingEmbeddingModel implements EmbeddingModel, AutoCloseable {

  private final Rotating<EmbeddingModel> model;

  RotatingEmbeddingModel(Rotating<EmbeddingModel> model) {
    this.model = model;
  }

  // The model's name, size and tokenizer do not depend on the key: the current client answers.

  @Override
  public String modelId() {
    return model.client().modelId();
  }

  @Override
  public int dimension() {
    return model.client().dimension();
  }

  @Override
  public int maxInputTokens() {
    return model.client().maxInputTokens();
  }

  @Override
  public int countTokens(String text) {
    return model.client().countTokens(text);
  }

  @Override
  public TokenCounter tokenCounter() {
    return model.client().tokenCounter();
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    return model.call(m -> m.embed(texts));
  }

  @Override
  public void close() {
    model.close();
  }

  @Override
  public String toString() {
    return "Rotating[" + model.client() + "]";
  }
}
