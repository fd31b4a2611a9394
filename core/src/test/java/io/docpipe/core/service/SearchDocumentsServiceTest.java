package io.docpipe.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.chunking.ChunkingPolicy;
import io.docpipe.core.fakes.InMemoryVectorStore;
import io.docpipe.core.fakes.MapSource;
import io.docpipe.core.fakes.WordHashEmbeddingModel;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.in.SearchCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SearchDocumentsServiceTest {

  private final WordHashEmbeddingModel model = new WordHashEmbeddingModel(256, 16);
  private final InMemoryVectorStore store = new InMemoryVectorStore(256);
  private final SearchDocumentsService search = new SearchDocumentsService(model, store);

  @BeforeEach
  void indexSomeDocuments() {
    var ingest =
        MapSource.inlineIngest(
            model,
            store,
            IngestSettings.defaults()
                .withChunking(new ChunkingPolicy(16, 0, ChunkingPolicy.Mode.SPLIT)));
    List<IngestRequest> docs = new ArrayList<>();
    // "cats" has many chunks all about cats; the others one chunk each.
    docs.add(inline("cats", "cats purr. ".repeat(40), "animals"));
    docs.add(inline("dogs", "dogs bark and cats watch", "animals"));
    docs.add(inline("cars", "cars drive on roads", "machines"));
    docs.add(inline("boats", "boats sail on water", "machines"));
    ingest.ingest(IngestCommand.of(docs));
  }

  private static IngestRequest inline(String id, String text, String topic) {
    return new IngestRequest.Inline(
        Document.ofText(DocumentId.of(id), text, Map.of("topic", topic)));
  }

  @Test
  void onePerDocument_returnsDistinctDocumentsEvenWhenOneDocumentHasManyMatchingChunks() {
    List<SearchHit> hits = search.search(SearchCommand.of("cats", 2)).hits();
    assertThat(hits).extracting(h -> h.documentId().value()).containsExactly("cats", "dogs");
  }

  @Test
  void perChunk_returnsTheBestChunksWhateverTheirDocument() {
    List<SearchHit> hits = search.search(SearchCommand.of("cats purr", 3).perChunk()).hits();
    assertThat(hits).extracting(h -> h.documentId().value()).containsOnly("cats");
    assertThat(hits).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
  }

  @Test
  void filterAndMinScore_areApplied() {
    List<SearchHit> hits =
        search
            .search(
                SearchCommand.of("cats on roads", 4)
                    .withFilter(MetadataFilter.of(MetadataFilter.eq("topic", "machines"))))
            .hits();
    assertThat(hits).extracting(h -> h.documentId().value()).containsExactly("cars", "boats");
    List<SearchHit> strong =
        search
            .search(
                SearchCommand.of("cars drive on roads", 4)
                    .withMode(io.docpipe.core.port.in.RetrievalMode.dense())
                    .withMinScore(0.99))
            .hits();
    assertThat(strong).extracting(h -> h.documentId().value()).containsExactly("cars");
  }

  @Test
  void theQueryIsEmbeddedAsAQuery_notAsAPassage() {
    // A model whose query side reads every query as "boats sail": if the service embedded the
    // query as a passage, "cars drive on roads" would find cars.
    List<String> embeddedAsQueries = new ArrayList<>();
    io.docpipe.core.port.out.EmbeddingModel queryAware =
        new io.docpipe.core.port.out.EmbeddingModel() {
          @Override
          public String modelId() {
            return model.modelId();
          }

          @Override
          public int dimension() {
            return model.dimension();
          }

          @Override
          public int maxInputTokens() {
            return model.maxInputTokens();
          }

          @Override
          public int countTokens(String text) {
            return model.countTokens(text);
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            return model.embed(texts);
          }

          @Override
          public List<float[]> embedQueries(List<String> queries) {
            embeddedAsQueries.addAll(queries);
            return model.embed(queries.stream().map(q -> "boats sail").toList());
          }
        };
    List<SearchHit> hits =
        new SearchDocumentsService(queryAware, store)
            .search(
                SearchCommand.of("cars drive on roads", 1)
                    .withMode(io.docpipe.core.port.in.RetrievalMode.dense()))
            .hits();
    assertThat(embeddedAsQueries).containsExactly("cars drive on roads");
    assertThat(hits).extracting(h -> h.documentId().value()).containsExactly("boats");
  }
}
