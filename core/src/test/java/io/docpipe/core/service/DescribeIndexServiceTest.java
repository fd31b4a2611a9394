package io.docpipe.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.fakes.InMemoryVectorStore;
import io.docpipe.core.fakes.MapSource;
import io.docpipe.core.fakes.WordHashEmbeddingModel;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.port.in.IndexDescription;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.in.StoreStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DescribeIndexServiceTest {

  private final WordHashEmbeddingModel model = new WordHashEmbeddingModel(64, 16);
  private final InMemoryVectorStore store = new InMemoryVectorStore(64);
  private final DescribeIndexService describe = new DescribeIndexService(model, store);

  @Test
  void describe_countsThePointsAndNamesTheModel() {
    assertThat(describe.describe()).isEqualTo(new IndexDescription(model.modelId(), 64, 0));
    MapSource.inlineIngest(model, store, IngestSettings.defaults())
        .ingest(
            IngestCommand.of(
                List.of(
                    new IngestRequest.Inline(
                        Document.ofText(DocumentId.of("a"), "some words", Map.of())))));
    assertThat(describe.describe().points()).isEqualTo(store.count()).isPositive();
  }

  @Test
  void checkStore_reportsAStoreThatDoesNotAnswer_insteadOfThrowing() {
    assertThat(describe.checkStore()).isEqualTo(new StoreStatus.Answering());
    store.failHealthChecks("connection refused");
    assertThat(describe.checkStore()).isEqualTo(new StoreStatus.NotAnswering("connection refused"));
  }
}
