package io.docpipe.lucene;

import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.port.out.Point;
import io.docpipe.testkit.TestPoints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.junit.jupiter.api.Test;

/** Hits read from the payload doc value equal hits read from stored fields, in any segment mix. */
class HitPayloadsTest {

  @Test
  void hitsReadFromDocValues_equalStoredOnes_andSegmentsWithoutTheField_fallBackToStoredFields()
      throws IOException {
    Random random = new Random(31);
    try (ByteBuffersDirectory directory = new ByteBuffersDirectory();
        IndexWriter writer =
            new IndexWriter(
                directory, new IndexWriterConfig().setMergePolicy(NoMergePolicy.INSTANCE))) {
      List<Point> points = new ArrayList<>();
      for (int segment = 0; segment < 3; segment++) {
        for (int i = 0; i < 20; i++) {
          String doc = "docs/ä-" + segment + "-" + i;
          String text = "chunk \uD83D\uDE00 " + "x".repeat(random.nextInt(300)) + " " + i;
          PointPayload payload =
              new PointPayload(
                  DocumentId.of(doc),
                  ContentHash.of(doc),
                  i,
                  text,
                  i * 7,
                  i * 7 + text.length(),
                  "s3://bucket/" + doc,
                  i % 2 == 0 ? Map.of() : Map.of("lang", "de", "team", "a=b"));
          Point point =
              new Point(
                  PointId.of(DocumentId.of(doc), i),
                  TestPoints.randomUnitVector(random, 4),
                  payload);
          points.add(point);
          Document document = PointDocuments.toDocument(point);
          if (segment == 1) {
            document.removeField(HitPayloads.FIELD); // as written before the field existed
          }
          writer.addDocument(document);
        }
        writer.commit();
      }
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        assertThat(reader.leaves()).hasSize(3);
        List<Integer> docs = new ArrayList<>(IntStream.range(0, points.size()).boxed().toList());
        java.util.Collections.shuffle(docs, random);
        Map<Integer, HitPayloads.Hit> read = HitPayloads.read(searcher, docs.subList(0, 45));
        assertThat(read).hasSize(45);
        for (int doc : docs.subList(0, 45)) {
          HitPayloads.Hit hit = read.get(doc);
          Point point = points.get(doc);
          assertThat(hit.id()).as("doc %d", doc).isEqualTo(point.id());
          assertThat(hit.payload()).as("doc %d", doc).isEqualTo(point.payload());
        }
      }
    }
  }
}
