package io.docpipe.lucene;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.RetrievalMode;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.LexicalQuery;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.docpipe.core.service.SearchDocumentsService;
import io.docpipe.testkit.TestPoints;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hybrid search through the core service over a real Lucene index, and indexes without words. */
class LuceneHybridSearchTest {

  @TempDir Path temp;

  /**
   * A dense model that cannot tell numbers apart, as small sentence models cannot: a text's last
   * number {@code N} sets a 2-d direction through {@code N / 10} only, so the dense side ranks note
   * 999 anywhere among notes 990 to 999.
   */
  static final class NumberBlindModel implements EmbeddingModel {
    private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)\\D*$");

    @Override
    public String modelId() {
      return "number-blind";
    }

    @Override
    public int dimension() {
      return 2;
    }

    @Override
    public int maxInputTokens() {
      return 64;
    }

    @Override
    public int countTokens(String text) {
      return text.strip().split("\\s+").length;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      List<float[]> vectors = new ArrayList<>();
      for (String text : texts) {
        vectors.add(vector(text));
      }
      return vectors;
    }

    static float[] vector(String text) {
      Matcher m = LAST_NUMBER.matcher(text);
      double angle = m.find() ? (Integer.parseInt(m.group(1)) / 10) * 0.001 : 0;
      return new float[] {(float) Math.cos(angle), (float) Math.sin(angle)};
    }
  }

  private static DocumentWrite note(int n) {
    String text = "small file number " + n;
    DocumentId id = DocumentId.of("f%05d".formatted(n));
    ContentHash hash = ContentHash.of(text);
    PointPayload payload =
        new PointPayload(id, hash, 0, text, 0, text.length(), "file:///notes/" + id, Map.of());
    return new DocumentWrite(
        id,
        hash,
        List.of(new Point(payload.pointId(), NumberBlindModel.vector(text), payload)),
        TestPoints.nextStamp());
  }

  private static String first(SearchDocumentsService search, SearchCommand command) {
    List<SearchHit> hits = search.search(command).hits();
    assertThat(hits).as("%s", command).isNotEmpty();
    return hits.get(0).documentId().value();
  }

  @Test
  void thousandNotes_smallFileNumberN_findsNoteNFirst_inHybridAndLexical() {
    NumberBlindModel model = new NumberBlindModel();
    try (VectorStore store = LuceneVectorStores.inMemory(model.dimension())) {
      List<DocumentWrite> notes = new ArrayList<>();
      for (int n = 0; n < 1000; n++) {
        notes.add(note(n));
      }
      store.write(notes);
      SearchDocumentsService search = new SearchDocumentsService(model, store);

      int denseMisses = 0;
      int[] sample = {0, 1, 7, 10, 42, 99, 100, 101, 250, 333, 500, 640, 777, 900, 989, 990, 999};
      for (int n : sample) {
        SearchCommand command = SearchCommand.of("small file number " + n, 5);
        String expected = "f%05d".formatted(n);
        assertThat(first(search, command))
            .as("hybrid (the default), note %d", n)
            .isEqualTo(expected);
        assertThat(first(search, command.withMode(RetrievalMode.lexical())))
            .as("lexical, note %d", n)
            .isEqualTo(expected);
        if (!first(search, command.withMode(RetrievalMode.dense())).equals(expected)) {
          denseMisses++;
        }
      }
      assertThat(denseMisses).as("the dense side alone is blind to the number").isPositive();
    }
  }

  @Test
  void indexWrittenWithoutLexicalField_answersDense_andLexicalSaysHowToReindex() throws Exception {
    Path dir = temp.resolve("old");
    try (VectorStore store = LuceneVectorStores.open(dir, 2)) {
      store.write(List.of(note(1), note(2)));
    }
    // What an index written before lexical search looks like: no record of its text analysis.
    try (FSDirectory directory = FSDirectory.open(dir);
        IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
      Map<String, String> data = new HashMap<>();
      writer.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      data.remove(LuceneVectorStore.LEXICAL_KEY);
      writer.setLiveCommitData(data.entrySet());
      writer.commit();
    }

    try (VectorStore store = LuceneVectorStores.open(dir, 2)) {
      assertThat(
              store.search(
                  new VectorQuery(
                      NumberBlindModel.vector("x 10"), 2, MetadataFilter.none(), null, true)))
          .hasSize(2);
      assertThatThrownBy(
              () -> store.searchText(new LexicalQuery("small", 2, MetadataFilter.none())))
          .isInstanceOf(VectorStoreException.class)
          .hasMessageContaining("without lexical search")
          .hasMessageContaining("--mode dense")
          .hasMessageContaining("ingest again");
      SearchDocumentsService search = new SearchDocumentsService(new NumberBlindModel(), store);
      assertThat(
              first(
                  search,
                  SearchCommand.of("small file number 1", 1).withMode(RetrievalMode.dense())))
          .isIn("f00001", "f00002");
    }
  }

  @Test
  void indexOfOneModel_isRefusedForAnotherOfTheSameDimension_namingBoth() {
    Path dir = temp.resolve("models");
    try (VectorStore store = LuceneVectorStores.open(dir, 2, "onnx:all-MiniLM-L6-v2:256")) {
      store.write(List.of(note(1)));
    }

    assertThatThrownBy(() -> LuceneVectorStores.open(dir, 2, "onnx:all-MiniLM-L6-v2-q:256"))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining("onnx:all-MiniLM-L6-v2:256")
        .hasMessageContaining("onnx:all-MiniLM-L6-v2-q:256")
        .hasMessageContaining("DOCPIPE_ONNX_MODEL");
    try (VectorStore same = LuceneVectorStores.open(dir, 2, "onnx:all-MiniLM-L6-v2:256")) {
      assertThat(same.count()).isEqualTo(1);
    }
  }
}
