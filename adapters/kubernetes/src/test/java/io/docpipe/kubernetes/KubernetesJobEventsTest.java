package io.docpipe.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.harness.kubernetes.MockApiServer;
import io.kubernetes.client.openapi.ApiClient;
import io.kubernetes.client.openapi.apis.CoreV1Api;
import io.kubernetes.client.openapi.models.CoreV1Event;
import io.kubernetes.client.util.ClientBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Events on the Job, created through the API stand-in over real HTTP. */
class KubernetesJobEventsTest {

  private final MockApiServer server = new MockApiServer();

  @AfterEach
  void stopServer() {
    server.close();
  }

  private List<CoreV1Event> events() throws Exception {
    ApiClient client = new ClientBuilder().setBasePath(server.url().toString()).build();
    return new CoreV1Api(client).listNamespacedEvent("docpipe").execute().getItems();
  }

  @Test
  void failuresProgressAndTheEnd_arePostedOnTheJob_failuresCapped() throws Exception {
    ApiClient client = new ClientBuilder().setBasePath(server.url().toString()).build();
    JobRef job = new JobRef("index-docs", Optional.of("uid-7"));
    try (KubernetesJobEvents events =
        new KubernetesJobEvents(
            client, "docpipe", job, new ShardSpec(3, 4), Clock.systemUTC(), Duration.ZERO, 2)) {
      events.documentFinished(new DocumentOutcome.Indexed(DocumentId.of("a"), 2), Duration.ZERO);
      for (String id : List.of("b", "c", "d")) {
        events.documentFinished(
            new DocumentOutcome.Failed(DocumentId.of(id), FailureReason.EMPTY, "no text"),
            Duration.ZERO);
      }
      events.runEnded("ShardCompleted", "1 indexed, 3 failed", false);
    }
    List<CoreV1Event> posted = events();
    assertThat(posted)
        .allSatisfy(
            e -> {
              assertThat(e.getInvolvedObject().getKind()).isEqualTo("Job");
              assertThat(e.getInvolvedObject().getName()).isEqualTo("index-docs");
              assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-7");
            });
    assertThat(posted.stream().filter(e -> "DocumentFailed".equals(e.getReason())))
        .hasSize(2)
        .allSatisfy(e -> assertThat(e.getType()).isEqualTo("Warning"));
    assertThat(posted.stream().filter(e -> "ShardProgress".equals(e.getReason()))).isNotEmpty();
    assertThat(posted)
        .filteredOn(e -> "ShardCompleted".equals(e.getReason()))
        .singleElement()
        .satisfies(e -> assertThat(e.getMessage()).isEqualTo("shard 3/4: 1 indexed, 3 failed"));
  }

  @Test
  void anUnreachableApiServer_costsEventsButNeverThrows() {
    ApiClient client = new ClientBuilder().setBasePath("http://127.0.0.1:1").build();
    try (KubernetesJobEvents events =
        new KubernetesJobEvents(
            client,
            "docpipe",
            new JobRef("j", Optional.empty()),
            new ShardSpec(0, 1),
            Clock.systemUTC(),
            Duration.ZERO,
            10)) {
      events.documentFinished(new DocumentOutcome.Indexed(DocumentId.of("a"), 1), Duration.ZERO);
      events.runEnded("ShardCompleted", "done", false);
    }
  }
}
