package io.docpipe.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/**
 * The cut of a lexical ranking at k: hits above the k-th score, then the tied ones by point id,
 * whether a segment holds the id as a doc value (written now) or only stored (written before).
 */
class TiedHitsTest {

  @Test
  void tiedHitsAtTheCut_areChosenByPointId_acrossSegmentsWithAndWithoutIdDocValues()
      throws IOException {
    long seed = 19;
    Random random = new Random(seed);
    try (ByteBuffersDirectory directory = new ByteBuffersDirectory();
        IndexWriter writer =
            new IndexWriter(
                directory, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
      List<String> ids = new ArrayList<>();
      for (int segment = 0; segment < 3; segment++) {
        boolean docValues = segment != 1; // the middle segment as an index written before them
        for (int i = 0; i < 40; i++) {
          java.util.UUID uuid = new java.util.UUID(random.nextLong(), random.nextLong());
          ids.add(uuid.toString());
          writer.addDocument(point(uuid, docValues));
        }
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertThat(reader.leaves()).hasSize(3);
        // Scores: 10 docs at 3.0, then 100 tied at 2.0, then 10 at 1.0; Lucene's order within a
        // score is by doc id, not point id.
        List<ScoreDoc> ranked = new ArrayList<>();
        List<Integer> docs = new ArrayList<>();
        for (int d = 0; d < ids.size(); d++) {
          docs.add(d);
        }
        java.util.Collections.shuffle(docs, random);
        for (int i = 0; i < docs.size(); i++) {
          float score = i < 10 ? 3f : i < 110 ? 2f : 1f;
          ranked.add(new ScoreDoc(docs.get(i), score));
        }
        ranked.sort(
            java.util.Comparator.comparingDouble((ScoreDoc s) -> -s.score)
                .thenComparingInt(s -> s.doc));
        int k = 25;
        List<ScoreDoc> best =
            LuceneVectorStore.bestByScoreThenId(searcher, ranked.toArray(new ScoreDoc[0]), k);

        List<String> expected = new ArrayList<>();
        ranked.stream().filter(s -> s.score == 3f).forEach(s -> expected.add(ids.get(s.doc)));
        expected.sort(null);
        ranked.stream()
            .filter(s -> s.score == 2f)
            .map(s -> ids.get(s.doc))
            .sorted()
            .limit(k - 10)
            .forEach(expected::add);
        assertThat(best)
            .as("seed %d", seed)
            .extracting(s -> ids.get(s.doc))
            .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(best).extracting(s -> s.score).filteredOn(s -> s == 3f).hasSize(10);

        List<ScoreDoc> all =
            LuceneVectorStore.bestByScoreThenId(
                searcher, ranked.subList(0, 20).toArray(new ScoreDoc[0]), k);
        assertThat(all).hasSize(20);
      }
    }
  }

  @Test
  void sortingByIdDocValues_isOnlyUsed_whenEveryPointHasThem_evenAfterAMergeWithOlderPoints()
      throws IOException {
    Random random = new Random(23);
    try (ByteBuffersDirectory directory = new ByteBuffersDirectory();
        IndexWriter writer =
            new IndexWriter(
                directory, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
      writer.addDocument(point(new java.util.UUID(random.nextLong(), random.nextLong()), true));
      writer.commit();
      assertThat(everyPointSortable(directory)).as("points written now").isTrue();

      writer.addDocument(point(new java.util.UUID(random.nextLong(), random.nextLong()), false));
      writer.commit();
      assertThat(everyPointSortable(directory)).as("and a segment written before").isFalse();

      writer.forceMerge(1);
      writer.commit();
      assertThat(everyPointSortable(directory)).as("both merged into one segment").isFalse();
    }
  }

  @Test
  void idDocValues_sortAsTheIdsStrings() {
    Random random = new Random(29);
    List<java.util.UUID> uuids = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      uuids.add(new java.util.UUID(random.nextLong(), random.nextLong()));
    }
    uuids.add(new java.util.UUID(-1L, -1L));
    uuids.add(new java.util.UUID(0L, 0L));
    uuids.add(new java.util.UUID(Long.MIN_VALUE, Long.MAX_VALUE));
    List<String> byString = uuids.stream().map(java.util.UUID::toString).sorted().toList();
    List<String> byDocValues =
        uuids.stream()
            .sorted(
                java.util.Comparator.comparingLong(
                        (java.util.UUID u) ->
                            PointDocuments.unsignedOrder(u.getMostSignificantBits()))
                    .thenComparingLong(
                        u -> PointDocuments.unsignedOrder(u.getLeastSignificantBits())))
            .map(java.util.UUID::toString)
            .toList();
    assertThat(byDocValues).isEqualTo(byString);
  }

  private static boolean everyPointSortable(ByteBuffersDirectory directory) throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      return LuceneVectorStore.everySegmentHasIdValues(new IndexSearcher(reader));
    }
  }

  /** A point's id fields: stored, and as doc values unless written before them. */
  private static Document point(java.util.UUID uuid, boolean docValues) {
    Document document = new Document();
    document.add(new StringField(PointDocuments.ID, uuid.toString(), Field.Store.YES));
    if (docValues) {
      document.add(
          new NumericDocValuesField(
              PointDocuments.ID_HIGH, PointDocuments.unsignedOrder(uuid.getMostSignificantBits())));
      document.add(
          new NumericDocValuesField(
              PointDocuments.ID_LOW, PointDocuments.unsignedOrder(uuid.getLeastSignificantBits())));
    }
    return document;
  }
}
