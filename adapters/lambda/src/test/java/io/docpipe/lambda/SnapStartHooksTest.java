package io.docpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The priming a SnapStart snapshot runs: every handler path once, and the index untouched. (The
 * CRaC callbacks themselves need a CRaC JVM and are not exercised here.)
 */
class SnapStartHooksTest {

  @TempDir Path dir;

  @Test
  void priming_runsEveryPath_andChangesNothing() throws Exception {
    TestEnvironments.putObject(dir, "kept.md", "Priming must not touch what is indexed.");
    LambdaComponent environment = TestEnvironments.create(dir);
    try {
      environment
          .http()
          .ingest(
              "{\"documents\":[{\"id\":\"kept.md\",\"text\":\"Priming must not touch the index.\"}]}"
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8),
              () -> false);
      long points = environment.vectorStore().count();

      new SnapStartHooks(environment.search(), environment.messages(), environment.http()).prime();

      assertThat(environment.vectorStore().count()).isEqualTo(points).isPositive();
      assertThat(TestEnvironments.search(environment, "priming and the index", 1))
          .containsExactly("kept.md");
    } finally {
      environment.close();
    }
  }
}
