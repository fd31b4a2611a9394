package io.docpipe.lucene;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;
import org.jspecify.annotations.Nullable;

/**
 * Exhaustive nearest-neighbour search: every live vector that passes the filter is scored against
 * the query, segment by segment, with a dot product (vectors are unit-length). Lucene's {@link
 * VectorUtil} runs it on the Panama Vector API when the JVM has {@code --add-modules
 * jdk.incubator.vector}, and as an unrolled scalar loop otherwise; either way a scan is bound by
 * memory bandwidth, since every vector is read once.
 */
final class ExactScan {

  private ExactScan() {}

  /** Scores every matching vector; {@code query} must be unit-length. */
  static List<TopCandidates.Candidate> search(
      IndexSearcher searcher, float[] query, @Nullable Query filter, TopCandidates top)
      throws IOException {
    Weight filterWeight =
        filter == null
            ? null
            : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      scanLeaf(leaf, query, filterWeight, top);
    }
    return top.bestFirst();
  }

  private static void scanLeaf(
      LeafReaderContext context, float[] query, @Nullable Weight filterWeight, TopCandidates top)
      throws IOException {
    LeafReader reader = context.reader();
    FloatVectorValues vectors = reader.getFloatVectorValues(PointDocuments.VECTOR);
    if (vectors == null || vectors.size() == 0) {
      return;
    }
    Bits live = reader.getLiveDocs();
    KnnVectorValues.DocIndexIterator vectorDocs = vectors.iterator();
    DocIdSetIterator matching = vectorDocs;
    if (filterWeight != null) {
      Scorer filterScorer = filterWeight.scorer(context);
      if (filterScorer == null) {
        return;
      }
      matching = filterScorer.iterator();
    }
    int base = context.docBase;
    for (int doc = matching.nextDoc();
        doc != DocIdSetIterator.NO_MORE_DOCS;
        doc = matching.nextDoc()) {
      if (live != null && !live.get(doc)) {
        continue;
      }
      if (matching != vectorDocs) {
        int vectorDoc = vectorDocs.docID() < doc ? vectorDocs.advance(doc) : vectorDocs.docID();
        if (vectorDoc == DocIdSetIterator.NO_MORE_DOCS) {
          return;
        }
        if (vectorDoc != doc) {
          continue;
        }
      }
      float score = VectorUtil.dotProduct(query, vectors.vectorValue(vectorDocs.index()));
      if (score >= top.threshold()) {
        top.offer(base + doc, score);
      }
    }
  }
}
