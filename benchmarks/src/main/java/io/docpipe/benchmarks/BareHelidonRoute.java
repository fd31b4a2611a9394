package io.docpipe.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.onnx.OnnxEmbeddingModel;
import io.docpipe.openai.OpenAiEmbeddingModel;
import io.docpipe.wiring.DocpipeConfig;
import io.helidon.webserver.WebServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The Fargate baselines: the same Helidon web server as docpipe's service, one route, no auth, no
 * index, no docpipe wiring. {@code constant} (the ceiling) reads the request body and returns a
 * constant JSON. {@code embed} (the floor of a search: the cost it cannot avoid) also reads the
 * body's {@code query} and embeds it, with the embedding model the same {@code DOCPIPE_*}
 * environment gives docpipe's service: the in-process model with the same settings and threads, or
 * the openai adapter's client calling the same embeddings stand-in; then it returns the same
 * constant. Prints its port and runs until it is stopped.
 */
public final class BareHelidonRoute {

  private static final ObjectMapper JSON = new ObjectMapper();

  private BareHelidonRoute() {}

  @SuppressWarnings("SystemOut") // a CLI main: its port goes to stdout for the suite to read
  public static void main(String[] args) throws InterruptedException {
    String mode = args.length == 0 ? "constant" : args[0];
    @Nullable EmbeddingModel model =
        switch (mode) {
          case "constant" -> null;
          case "embed" -> model(DocpipeConfig.fromEnvironment(System.getenv()));
          default -> throw new IllegalArgumentException("mode: constant or embed, not " + mode);
        };
    WebServer server =
        WebServer.builder()
            .host("127.0.0.1")
            .port(0)
            .featuresDiscoverServices(false)
            .routing(
                r ->
                    r.post(
                        "/bare",
                        (req, res) -> {
                          byte[] body = req.content().as(byte[].class);
                          if (model != null) {
                            embed(model, body);
                          }
                          res.header("Content-Type", "application/json").send("{\"hits\":[]}");
                        }))
            .build()
            .start();
    System.out.println(
        "bare %s route listening on port %d"
            .formatted(mode.toLowerCase(Locale.ROOT), server.port()));
    System.out.flush();
    Thread.currentThread().join();
  }

  /** The model docpipe's wiring would choose from the same configuration, built directly. */
  private static EmbeddingModel model(DocpipeConfig config) {
    return switch (config.embedding()) {
      case ONNX -> OnnxEmbeddingModel.of(config.onnx());
      case OPENAI -> OpenAiEmbeddingModel.create(config.openAi().orElseThrow());
    };
  }

  /** Embeds the body's query as docpipe's search does (one query, the query prefix). */
  private static void embed(EmbeddingModel model, byte[] body) {
    String query;
    try {
      query = JSON.readTree(body).path("query").asText();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<float[]> vectors = model.embedQueries(List.of(query));
    if (vectors.size() != 1 || vectors.getFirst().length != model.dimension()) {
      throw new IllegalStateException("no usable vector for the query");
    }
  }
}
