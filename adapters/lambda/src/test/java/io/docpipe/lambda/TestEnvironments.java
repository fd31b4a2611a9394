package io.docpipe.lambda;

import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.wiring.DocpipeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

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

  /**
   * A real environment for one test class in a folder of its own: created before the class's tests,
   * closed and its folder deleted after them.
   */
  static final class PerClass implements BeforeAllCallback, AfterAllCallback {
    private @Nullable Path dir;
    private @Nullable LambdaComponent component;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
      dir = Files.createTempDirectory("docpipe-lambda-test");
      component = create(dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
      try {
        if (component != null) {
          component.close();
        }
      } finally {
        if (dir != null) {
          try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
              Files.delete(file);
            }
          }
        }
      }
    }

    /** The folder: the index under {@code index/}, the S3 mirror under {@code s3/}. */
    Path dir() {
      return Objects.requireNonNull(dir, "the environment is created before the test class");
    }

    LambdaComponent component() {
      return Objects.requireNonNull(component, "the environment is created before the test class");
    }

    /** {@link TestEnvironments#putObject} into this environment's S3 mirror. */
    void putObject(String key, String text) throws IOException {
      TestEnvironments.putObject(dir(), key, text);
    }

    /** {@link TestEnvironments#search} of this environment's index. */
    List<String> search(String query, int k) {
      return TestEnvironments.search(component(), query, k);
    }
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
