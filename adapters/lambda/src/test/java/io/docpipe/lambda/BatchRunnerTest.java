package io.docpipe.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.DocumentOutcome;
import io.docpipe.core.model.StopSignal;
import io.docpipe.core.port.in.DeleteReport;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestReport;
import io.docpipe.core.port.in.IngestRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Grouping and failure isolation, with use cases that record calls or throw. */
class BatchRunnerTest {

  private final List<List<String>> ingestCalls = new ArrayList<>();
  private final List<String> deleteCalls = new ArrayList<>();

  private final BatchRunner runner =
      new BatchRunner(
          (IngestCommand command) -> {
            List<String> ids =
                command.documents().stream().map(r -> r.documentId().value()).toList();
            ingestCalls.add(ids);
            if (ids.contains("explodes")) {
              throw new IllegalStateException("index writer closed");
            }
            return new IngestReport(
                command.documents().stream()
                    .map(r -> (DocumentOutcome) new DocumentOutcome.Indexed(r.documentId(), 1))
                    .toList(),
                command.documents().size());
          },
          command -> {
            deleteCalls.add(command.documents().getFirst().value());
            return new DeleteReport(
                List.of(new DocumentOutcome.Deleted(command.documents().getFirst(), true)));
          });

  @Test
  void consecutiveIngestions_shareOneCall_andADeleteOrARepeatStartsANewOne() {
    List<Unit> units =
        List.of(
            Unit.of("u1", List.of(ingest("a"), ingest("b"))),
            Unit.of("u2", List.of(ingest("c"))),
            Unit.of("u3", List.of(new WorkItem.Delete(DocumentId.of("b")))),
            Unit.of("u4", List.of(ingest("d"))),
            Unit.of("u5", List.of(ingest("d"))));

    BatchRunner.BatchResult result = runner.run(units, StopSignal.NEVER, false);

    assertThat(ingestCalls).containsExactly(List.of("a", "b", "c"), List.of("d"), List.of("d"));
    assertThat(deleteCalls).containsExactly("b");
    assertThat(result.failed()).isEmpty();
    assertThat(result.chunksEmbedded()).isEqualTo(5);
  }

  @Test
  void aThrowingUseCase_failsOnlyTheUnitsOfItsGroup_retriably() {
    List<Unit> units =
        List.of(
            Unit.of("u1", List.of(ingest("a"))),
            Unit.of("u2", List.of(ingest("explodes"))),
            Unit.of("u3", List.of(new WorkItem.Delete(DocumentId.of("z")))),
            Unit.of("u4", List.of(ingest("after"))));

    BatchRunner.BatchResult result = runner.run(units, StopSignal.NEVER, false);

    assertThat(result.failed()).extracting(BatchRunner.UnitResult::id).containsExactly("u1", "u2");
    assertThat(result.failed()).allMatch(BatchRunner.UnitResult::retriable);
    assertThat(ingestCalls.getLast()).containsExactly("after");
  }

  @Test
  void inOrder_unitsNeverShareACall_andTheFirstFailureStopsTheRest() {
    List<Unit> units =
        List.of(
            Unit.of("u1", List.of(ingest("a"))),
            Unit.malformed("u2", "not JSON"),
            Unit.of("u3", List.of(ingest("c"))));

    BatchRunner.BatchResult result = runner.run(units, StopSignal.NEVER, true);

    assertThat(ingestCalls).containsExactly(List.of("a"));
    assertThat(result.failed()).extracting(BatchRunner.UnitResult::id).containsExactly("u2", "u3");
    assertThat(result.units().get(1).retriable()).isFalse();
    assertThat(result.units().get(2).problems().getFirst().detail()).contains("u2");
  }

  private static WorkItem ingest(String id) {
    return new WorkItem.Ingest(
        new IngestRequest.Inline(Document.ofText(DocumentId.of(id), "text of " + id, Map.of())));
  }
}
