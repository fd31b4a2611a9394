package io.docpipe.fargate;

import static io.docpipe.fargate.TestServices.READER;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Readiness follows the model: down while it loads, up once it answers, down while draining. */
class ReadinessTest {

  @TempDir Path indexDir;

  @Test
  void notReadyBeforeTheModelIsLoaded_readyAfter_notReadyWhileDraining() {
    List<Runnable> heldWarmUp = new ArrayList<>();
    FargateService service = TestServices.start(indexDir, Map.of(), heldWarmUp::add);
    try {
      TestServices.Client client = new TestServices.Client(service.port());
      assertThat(heldWarmUp).hasSize(1);

      HttpResponse<String> ready = client.get("/health/ready", null);
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).contains("starting");
      assertThat(client.get("/health/live", null).statusCode()).isEqualTo(200);
      HttpResponse<String> search = client.post("/v1/search", READER, "{\"query\":\"x\"}");
      assertThat(search.statusCode()).isEqualTo(503);
      assertThat(search.body()).contains("/problems/unavailable").contains("loading");
      assertThat(search.headers().firstValue("Retry-After")).isPresent();
      // Auth is still checked while starting: no information for anonymous callers.
      assertThat(client.post("/v1/search", null, "{\"query\":\"x\"}").statusCode()).isEqualTo(401);

      heldWarmUp.getFirst().run(); // loads the model and opens the index

      assertThat(client.get("/health/ready", null).statusCode()).isEqualTo(200);
      assertThat(client.post("/v1/search", READER, "{\"query\":\"x\"}").statusCode())
          .isEqualTo(200);
    } finally {
      assertThat(service.drain(Duration.ofSeconds(5))).isTrue();
    }
    assertThat(service.state()).isEqualTo(Lifecycle.State.STOPPED);
  }

  @Test
  void aModelThatCannotLoad_failsLiveness() {
    // An index directory that cannot be created: the warm-up fails.
    FargateService service =
        TestServices.start(
            indexDir,
            Map.of("DOCPIPE_INDEX_DIR", "/proc/docpipe-cannot-write-here"),
            Runnable::run);
    try {
      TestServices.Client client = new TestServices.Client(service.port());
      assertThat(service.state()).isEqualTo(Lifecycle.State.FAILED);
      assertThat(client.get("/health/live", null).statusCode()).isEqualTo(503);
      assertThat(client.get("/health/ready", null).statusCode()).isEqualTo(503);
      HttpResponse<String> search = client.post("/v1/search", READER, "{\"query\":\"x\"}");
      assertThat(search.statusCode()).isEqualTo(503);
      assertThat(search.body()).contains("failed to start");
    } finally {
      service.drain(Duration.ofSeconds(1));
    }
  }
}
