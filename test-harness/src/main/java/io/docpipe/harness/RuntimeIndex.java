package io.docpipe.harness;

import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.lucene.LuceneVectorStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one runtime left behind, read after its processes exited: every point (the union of its
 * index directories, one per GKE shard) and the ranked hits of each query.
 */
record RuntimeIndex(
    String runtime, Map<PointId, Point> points, Map<String, List<RankedHit>> answers) {

  /** One hit of a ranked answer. */
  record RankedHit(PointId id, String documentId, int chunkIndex, double score) {}

  static final int K = 10;

  /** How many documents have points here. */
  long documentCount() {
    return points.values().stream().map(p -> p.payload().documentId()).distinct().count();
  }

  /**
   * Reads {@code directories} and runs every query (embedded once, by the caller) against each of
   * them with exact search; shard answers are merged best first, ties by point id, as the store
   * orders them.
   */
  static RuntimeIndex read(String runtime, List<Path> directories, Map<String, float[]> queries) {
    Map<PointId, Point> points = new TreeMap<>(Comparator.comparing(PointId::toString));
    Map<String, List<SearchHit>> hits = new LinkedHashMap<>();
    for (Path directory : directories) {
      for (Point point : LuceneVectorStores.readAll(directory)) {
        if (points.put(point.id(), point) != null) {
          throw new IllegalStateException(
              runtime + ": point " + point + " is in two shards' indexes");
        }
      }
      try (VectorStore store = LuceneVectorStores.open(directory, 384)) {
        queries.forEach(
            (query, vector) ->
                hits.computeIfAbsent(query, q -> new ArrayList<>())
                    .addAll(
                        store.search(
                            new VectorQuery(vector, K, MetadataFilter.none(), null, true))));
      }
    }
    Map<String, List<RankedHit>> answers = new LinkedHashMap<>();
    hits.forEach(
        (query, found) ->
            answers.put(
                query,
                found.stream()
                    .sorted(SearchHit.BEST_FIRST)
                    .limit(K)
                    .map(
                        h ->
                            new RankedHit(
                                h.id(),
                                h.documentId().value(),
                                h.payload().chunkIndex(),
                                h.score()))
                    .toList()));
    return new RuntimeIndex(runtime, Map.copyOf(points), answers);
  }
}
