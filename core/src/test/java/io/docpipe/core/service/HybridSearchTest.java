package io.docpipe.core.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.fakes.InMemoryVectorStore;
import io.docpipe.core.fakes.NumberBlindEmbeddingModel;
import io.docpipe.core.fakes.WordHashEmbeddingModel;
import io.docpipe.core.model.Document;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.IngestCommand;
import io.docpipe.core.port.in.IngestRequest;
import io.docpipe.core.port.in.RetrievalMode;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.LexicalQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class HybridSearchTest {

  /** Numbers across the range of the 1,000 notes, both ends and the ones that share a prefix. */
  static final int[] SAMPLE = {
    0, 1, 9, 10, 11, 99, 100, 101, 123, 250, 499, 500, 777, 900, 990, 998, 999
  };

  private static void ingest(EmbeddingModel model, InMemoryVectorStore store, List<Document> docs) {
    var ingest =
        io.docpipe.core.fakes.MapSource.inlineIngest(model, store, IngestSettings.defaults());
    List<IngestRequest> requests = new ArrayList<>();
    for (Document doc : docs) {
      requests.add(new IngestRequest.Inline(doc));
    }
    assertThat(ingest.ingest(IngestCommand.of(requests)).failures()).isEmpty();
  }

  private static List<Document> thousandNotes() {
    List<Document> notes = new ArrayList<>();
    for (int n = 0; n < 1000; n++) {
      notes.add(
          Document.ofText(DocumentId.of("f%05d".formatted(n)), "small file number " + n, Map.of()));
    }
    return notes;
  }

  private static String first(SearchDocumentsService search, SearchCommand command) {
    List<SearchHit> hits = search.search(command).hits();
    assertThat(hits).isNotEmpty();
    return hits.get(0).documentId().value();
  }

  @Test
  void thousandNotes_hybridFindsTheNumberedNoteFirst_whereDenseAloneCannotTellNumbersApart() {
    NumberBlindEmbeddingModel model = new NumberBlindEmbeddingModel();
    InMemoryVectorStore store = new InMemoryVectorStore(model.dimension());
    ingest(model, store, thousandNotes());
    SearchDocumentsService search = new SearchDocumentsService(model, store);

    int denseMisses = 0;
    for (int n : SAMPLE) {
      SearchCommand command = SearchCommand.of("small file number " + n, 5);
      assertThat(first(search, command)).as("hybrid, note %d", n).isEqualTo("f%05d".formatted(n));
      assertThat(first(search, command.withMode(RetrievalMode.lexical())))
          .as("lexical, note %d", n)
          .isEqualTo("f%05d".formatted(n));
      if (!first(search, command.withMode(RetrievalMode.dense())).equals("f%05d".formatted(n))) {
        denseMisses++;
      }
    }
    // The dense side really is blind here, so hybrid's answers come from the fusion.
    assertThat(denseMisses).isGreaterThan(SAMPLE.length / 2);
  }

  @Test
  void identifierInExactlyOneDocument_comesFirstInHybridAndLexical() {
    WordHashEmbeddingModel model = new WordHashEmbeddingModel(64, 64);
    InMemoryVectorStore store = new InMemoryVectorStore(64);
    List<Document> docs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      docs.add(
          Document.ofText(
              DocumentId.of("doc-" + i),
              "quarterly report on the legit token rotation policy, part " + i,
              Map.of()));
    }
    docs.add(
        Document.ofText(
            DocumentId.of("the-one"), "appendix: key ZX-4471-LEGIT-TOKEN expires", Map.of()));
    ingest(model, store, docs);
    SearchDocumentsService search = new SearchDocumentsService(model, store);

    SearchCommand command = SearchCommand.of("legit token ZX-4471-LEGIT-TOKEN", 3);
    assertThat(first(search, command)).isEqualTo("the-one");
    assertThat(first(search, command.withMode(RetrievalMode.lexical()))).isEqualTo("the-one");
  }

  @Test
  void filters_applyToBothSides() {
    NumberBlindEmbeddingModel model = new NumberBlindEmbeddingModel();
    InMemoryVectorStore store = new InMemoryVectorStore(model.dimension());
    List<Document> docs = new ArrayList<>();
    for (int n = 0; n < 40; n++) {
      docs.add(
          Document.ofText(
              DocumentId.of("n" + n),
              "small file number " + n,
              Map.of("parity", n % 2 == 0 ? "even" : "odd")));
    }
    ingest(model, store, docs);
    SearchDocumentsService search = new SearchDocumentsService(model, store);

    for (RetrievalMode mode :
        List.of(RetrievalMode.dense(), RetrievalMode.lexical(), RetrievalMode.hybrid())) {
      List<SearchHit> hits =
          search
              .search(
                  new SearchCommand(
                      "small file number 7",
                      40,
                      MetadataFilter.of(MetadataFilter.eq("parity", "even")),
                      null,
                      true,
                      false,
                      mode))
              .hits();
      assertThat(hits).as(mode.label()).hasSize(20);
      assertThat(hits)
          .as(mode.label())
          .allSatisfy(h -> assertThat(h.payload().metadata()).containsEntry("parity", "even"));
    }
  }

  @Test
  void fusion_isDeterministicAndOneHitPerDocument() {
    NumberBlindEmbeddingModel model = new NumberBlindEmbeddingModel();
    InMemoryVectorStore store = new InMemoryVectorStore(model.dimension());
    ingest(model, store, thousandNotes());
    SearchDocumentsService search = new SearchDocumentsService(model, store);

    SearchCommand command = SearchCommand.of("small file number 42", 50);
    List<SearchHit> once = search.search(command).hits();
    assertThat(search.search(command).hits()).isEqualTo(once);
    assertThat(once).extracting(SearchHit::documentId).doesNotHaveDuplicates();
    assertThat(once).isSortedAccordingTo((a, b) -> Double.compare(b.score(), a.score()));
  }

  @Test
  void hybridWeights_leaveASideOutWhenZero() {
    NumberBlindEmbeddingModel model = new NumberBlindEmbeddingModel();
    InMemoryVectorStore store = new InMemoryVectorStore(model.dimension());
    ingest(model, store, thousandNotes());
    SearchDocumentsService search = new SearchDocumentsService(model, store);
    SearchCommand dense =
        SearchCommand.of("small file number 995", 10).withMode(RetrievalMode.dense());

    List<SearchHit> denseOnly =
        search.search(dense.withMode(new RetrievalMode.Hybrid(1, 0))).hits();

    assertThat(denseOnly)
        .extracting(SearchHit::id)
        .containsExactlyElementsOf(
            search.search(dense).hits().stream().map(SearchHit::id).toList());
  }

  @Test
  void weightedHybrid_isWrittenHybridDenseLexical_andReadBackTheSame() {
    RetrievalMode weighted = RetrievalMode.parse(" HYBRID:1:0.5 ");

    assertThat(weighted).isEqualTo(new RetrievalMode.Hybrid(1, 0.5));
    assertThat(weighted.label()).isEqualTo("hybrid:1:0.5");
    assertThat(RetrievalMode.parse(weighted.label())).isEqualTo(weighted);
    assertThat(RetrievalMode.parse("hybrid:0:2")).isEqualTo(new RetrievalMode.Hybrid(0, 2));
    assertThat(new RetrievalMode.Hybrid(1, 1).label()).isEqualTo("hybrid");
    for (String wrong : List.of("hybrid:1", "hybrid:1:2:3", "hybrid:a:b", "hybrid::1", "hybrid:")) {
      assertThatThrownBy(() -> RetrievalMode.parse(wrong))
          .as(wrong)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("hybrid:DENSE:LEXICAL")
          .hasMessageContaining("'" + wrong + "'");
    }
    assertThatThrownBy(() -> RetrievalMode.parse("hybrid:0:0")).hasMessageContaining("both be 0");
    assertThatThrownBy(() -> RetrievalMode.parse("hybrid:-1:1")).hasMessageContaining(">= 0");
    assertThatThrownBy(() -> RetrievalMode.parse("hybrid:1e999:1")).hasMessageContaining("finite");
  }

  @Test
  void modes_parseByName_andLexicalRefusesACosineMinimum() {
    assertThat(RetrievalMode.parse("Hybrid")).isEqualTo(RetrievalMode.hybrid());
    assertThat(RetrievalMode.parse("lexical").label()).isEqualTo("lexical");
    assertThatThrownBy(() -> RetrievalMode.parse("sparse"))
        .hasMessageContaining("dense, lexical or hybrid");
    assertThatThrownBy(() -> new RetrievalMode.Hybrid(0, 0)).hasMessageContaining("both be 0");
    assertThatThrownBy(
            () -> SearchCommand.of("x", 1).withMode(RetrievalMode.lexical()).withMinScore(0.5))
        .hasMessageContaining("lexical mode has none");
  }

  /** {@code store} with its {@code searchText} replaced by {@code searchText}. */
  private static VectorStore withSearchText(
      InMemoryVectorStore store, java.util.function.Function<LexicalQuery, List<SearchHit>> text) {
    return (VectorStore)
        java.lang.reflect.Proxy.newProxyInstance(
            VectorStore.class.getClassLoader(),
            new Class<?>[] {VectorStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("searchText")) {
                return text.apply((LexicalQuery) args[0]);
              }
              try {
                return method.invoke(store, args);
              } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  @Test
  void hybrid_searchesTextWhileTheQueryIsEmbedded() {
    WordHashEmbeddingModel words = new WordHashEmbeddingModel(64, 64);
    InMemoryVectorStore store = new InMemoryVectorStore(64);
    ingest(words, store, thousandNotes().subList(0, 50));
    CountDownLatch textSearched = new CountDownLatch(1);
    EmbeddingModel waitsForTheTextSearch =
        new EmbeddingModel() {
          @Override
          public String modelId() {
            return words.modelId();
          }

          @Override
          public int dimension() {
            return words.dimension();
          }

          @Override
          public int maxInputTokens() {
            return words.maxInputTokens();
          }

          @Override
          public int countTokens(String text) {
            return words.countTokens(text);
          }

          @Override
          public List<float[]> embed(List<String> texts) {
            try {
              // Bounded: a service that searched text only after embedding would wait here 10 s
              // and fail the test below.
              if (!textSearched.await(10, TimeUnit.SECONDS)) {
                throw new EmbeddingException("the text search did not start meanwhile", false);
              }
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new EmbeddingException("interrupted", true, e);
            }
            return words.embed(texts);
          }
        };
    VectorStore counting =
        withSearchText(
            store,
            query -> {
              textSearched.countDown();
              return store.searchText(query);
            });
    SearchDocumentsService search = new SearchDocumentsService(waitsForTheTextSearch, counting);

    assertThat(first(search, SearchCommand.of("small file number 7", 5))).isEqualTo("f00007");
  }

  @Test
  void hybrid_aFailedTextSearch_reachesTheCallerAsThrown_andAFailedEmbeddingToo() {
    WordHashEmbeddingModel model = new WordHashEmbeddingModel(64, 64);
    InMemoryVectorStore store = new InMemoryVectorStore(64);
    ingest(model, store, thousandNotes().subList(0, 20));
    VectorStore failing =
        withSearchText(
            store,
            query -> {
              throw new VectorStoreException("the text index is gone", true);
            });

    assertThatThrownBy(
            () ->
                new SearchDocumentsService(model, failing)
                    .search(SearchCommand.of("small file number 3", 5)))
        .isInstanceOf(VectorStoreException.class)
        .hasMessage("the text index is gone");
    assertThat(
            new SearchDocumentsService(model, failing)
                .search(SearchCommand.of("small file", 5).withMode(RetrievalMode.dense()))
                .hits())
        .as("dense alone never searches text")
        .hasSize(5);
    assertThatThrownBy(
            () ->
                new SearchDocumentsService(new WordHashEmbeddingModel(32, 64), store)
                    .search(SearchCommand.of("small file number 3", 5)))
        .as("a query vector of the wrong size")
        .isInstanceOf(EmbeddingException.class);
  }
}
