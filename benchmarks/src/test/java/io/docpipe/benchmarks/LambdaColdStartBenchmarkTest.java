package io.docpipe.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LambdaColdStartBenchmarkTest {

  @TempDir Path dir;

  @Test
  void imageJar_isTheOneBesideTheLambdaModulesJar_notBesideTheRuntimeApiHarness()
      throws IOException {
    Path harness = jar("test-harness/lambda-runtime-api/target/docpipe-lambda-runtime-api-1.jar");
    Path module = jar("adapters/lambda/target/docpipe-lambda-0.1.0-SNAPSHOT.jar");
    Path image = jar("adapters/lambda/target/app-jar/docpipe-lambda.jar");

    String classpath = String.join(File.pathSeparator, harness.toString(), module.toString());

    assertThat(LambdaColdStartBenchmark.imageJar(classpath)).isEqualTo(image);
  }

  @Test
  void imageJar_notBuilt_saysWhatToBuild() throws IOException {
    Path module = jar("adapters/lambda/target/docpipe-lambda-0.1.0-SNAPSHOT.jar");

    assertThatThrownBy(() -> LambdaColdStartBenchmark.imageJar(module.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("app-jar/docpipe-lambda.jar")
        .hasMessageContaining("./mvnw package");
  }

  private Path jar(String path) throws IOException {
    Path jar = dir.resolve(path);
    Files.createDirectories(jar.getParent());
    return Files.writeString(jar, "");
  }
}
