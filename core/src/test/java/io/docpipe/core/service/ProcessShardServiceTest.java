package io.docpipe.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.fakes.InMemoryVectorStore;
import io.docpipe.core.fakes.MapSource;
import io.docpipe.core.fakes.MemoryCheckpointStore;
import io.docpipe.core.fakes.WordHashEmbeddingModel;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.FailureReason;
import io.docpipe.core.model.ShardSpec;
import io.docpipe.core.model.StopSignal;
import io.docpipe.core.port.in.ShardCommand;
import io.docpipe.core.port.in.ShardReport;
import io.docpipe.core.port.out.IngestionListener;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ProcessShardServiceTest {

  private final MapSource corpus = new MapSource();
  private final WordHashEmbeddingModel model = new WordHashEmbeddingModel();
  private final InMemoryVectorStore store = new InMemoryVectorStore(64);
  private final MemoryCheckpointStore checkpoints = new MemoryCheckpointStore();
  private final ProcessShardService shards =
      new ProcessShardService(
          corpus,
          new IngestDocumentsService(
              corpus,
              List.of(MapSource.PLAIN_TEXT),
              model,
              store,
              IngestionListener.NONE,
              IngestSettings.defaults()),
          checkpoints);

  private void corpusOf(int n) {
    for (int i = 0; i < n; i++) {
      corpus.put("doc-%03d.txt".formatted(i), "text of document " + i);
    }
  }

  private Set<String> indexedIds() {
    return store.snapshot().values().stream()
        .map(p -> p.payload().documentId().value())
        .collect(Collectors.toSet());
  }

  @Test
  void shardsTogether_indexEveryDocumentExactlyOnce() {
    corpusOf(100);
    Set<String> seen = new HashSet<>();
    long total = 0;
    for (int s = 0; s < 3; s++) {
      ShardReport report =
          shards.process(new ShardCommand(new ShardSpec(s, 3), 7, 0, StopSignal.NEVER));
      assertThat(report.status()).isEqualTo(ShardReport.Status.COMPLETED);
      assertThat(report.checkpoint().complete()).isTrue();
      total += report.checkpoint().progress().indexed();
    }
    seen.addAll(indexedIds());
    assertThat(total).isEqualTo(100);
    assertThat(seen).hasSize(100);
    assertThat(store.count()).isEqualTo(100);
  }

  @Test
  void stoppedRun_resumesAfterItsCheckpoint_withoutRedoingFinishedBatches() {
    corpusOf(50);
    // Stop once two batches are in the index: a condition, as SIGTERM would arrive.
    ShardReport first =
        shards.process(new ShardCommand(ShardSpec.whole(), 10, 0, () -> store.count() >= 20));
    assertThat(first.status()).isEqualTo(ShardReport.Status.STOPPED);
    assertThat(first.checkpoint().progress().indexed()).isEqualTo(20);
    assertThat(first.checkpoint().lastCompleted()).isEqualTo(DocumentId.of("doc-019.txt"));
    int fetchesBefore = corpus.fetches();

    ShardReport second =
        shards.process(new ShardCommand(ShardSpec.whole(), 10, 0, StopSignal.NEVER));

    assertThat(second.status()).isEqualTo(ShardReport.Status.COMPLETED);
    assertThat(second.checkpoint().progress().indexed()).isEqualTo(50);
    assertThat(corpus.fetches() - fetchesBefore).isEqualTo(30);
    assertThat(indexedIds()).hasSize(50);
  }

  @Test
  void retriableFailure_stopsBeforeTheDocument_soARestartRetriesIt() {
    corpusOf(30);
    corpus.failFetchOf("doc-012.txt", FailureReason.SOURCE_UNAVAILABLE);
    ShardReport first =
        shards.process(new ShardCommand(ShardSpec.whole(), 10, 0.5, StopSignal.NEVER));
    assertThat(first.status()).isEqualTo(ShardReport.Status.UNAVAILABLE);
    assertThat(first.detail()).contains("doc-012.txt");
    assertThat(first.checkpoint().lastCompleted()).isEqualTo(DocumentId.of("doc-011.txt"));

    corpus.clearFailures();
    ShardReport second =
        shards.process(new ShardCommand(ShardSpec.whole(), 10, 0.5, StopSignal.NEVER));
    assertThat(second.status()).isEqualTo(ShardReport.Status.COMPLETED);
    assertThat(indexedIds()).hasSize(30);
  }

  @Test
  void permanentFailures_areCounted_untilTheRatioIsExceeded() {
    corpusOf(20);
    corpus.put("doc-005.txt", new byte[0]);
    ShardReport tolerant =
        shards.process(new ShardCommand(ShardSpec.whole(), 10, 0.1, StopSignal.NEVER));
    assertThat(tolerant.status()).isEqualTo(ShardReport.Status.COMPLETED);
    assertThat(tolerant.checkpoint().progress().failed()).isEqualTo(1);
    assertThat(tolerant.failures())
        .singleElement()
        .extracting(f -> f.reason())
        .isEqualTo(FailureReason.EMPTY);
  }

  @Test
  void tooManyFailures_endTheRun() {
    for (int i = 0; i < 20; i++) {
      corpus.put("bad-%02d.txt".formatted(i), new byte[0]);
    }
    ShardReport report =
        shards.process(new ShardCommand(ShardSpec.whole(), 10, 0.05, StopSignal.NEVER));
    assertThat(report.status()).isEqualTo(ShardReport.Status.TOO_MANY_FAILURES);
    assertThat(report.failures()).hasSize(10);
  }

  @Test
  void completedShard_isNotProcessedAgain() {
    corpusOf(5);
    shards.process(ShardCommand.of(ShardSpec.whole()));
    int fetches = corpus.fetches();
    assertThat(shards.process(ShardCommand.of(ShardSpec.whole())).status())
        .isEqualTo(ShardReport.Status.COMPLETED);
    assertThat(corpus.fetches()).isEqualTo(fetches);
  }
}
