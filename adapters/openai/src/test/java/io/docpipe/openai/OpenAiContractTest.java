package io.docpipe.openai;

import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.testkit.EmbeddingModelContract;
import java.io.IOException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The embedding-model contract, against the fake server through the public factory. */
class OpenAiContractTest extends EmbeddingModelContract {

  private static FakeOpenAi server;
  private static OpenAiEmbeddingModel model;

  @BeforeAll
  static void start() throws IOException {
    server = new FakeOpenAi(256);
    model =
        OpenAiEmbeddingModel.create(
            OpenAiSettings.defaults(server.baseUrl(), "fake-embed", 256, "sk-canary-contract"));
  }

  @AfterAll
  static void stop() {
    model.close();
    server.close();
  }

  @Override
  protected EmbeddingModel model() {
    return model;
  }
}
