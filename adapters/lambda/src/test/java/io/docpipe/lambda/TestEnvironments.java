package io.docpipe.lambda;

import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.wiring.DocpipeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A real environment (in-process model, Lucene index, S3 mirror) under a test's directory. */
final class TestEnvironments {

  static final String BUCKET = "docpipe-test-bucket";

  private TestEnvironments() {}

  static Map<String, String> variables(Path dir) throws IOException {
    Files.createDirectories(dir.resolve("s3").resolve(BUCKET));
    return Map.of(
        "DOCPIPE_INDEX_DIR", dir.resolve("index").toString(),
        "DOCPIPE_S3_MIRROR_DIR", dir.resolve("s3").toString(),
        "DOCPIPE_ONNX_THREADS", "1");
  }

  static LambdaComponent create(Path dir) throws IOException {
    return LambdaComponent.create(DocpipeConfig.fromEnvironment(variables(dir)));
  }

  /** Writes an object into the S3 mirror under its decoded key. */
  static void putObject(Path dir, String key, String text) throws IOException {
    Path file = dir.resolve("s3").resolve(BUCKET).resolve(key);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  /** The ids of the documents a search finds (best first). */
  static List<String> search(LambdaComponent environment, String query, int k) {
    return environment.search().search(SearchCommand.of(query, k)).hits().stream()
        .map(h -> h.documentId().value())
        .toList();
  }
}
