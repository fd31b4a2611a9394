package io.docpipe.harness;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.WriteStamps;
import io.docpipe.core.service.SearchDocumentsService;
import io.docpipe.lucene.LuceneVectorStores;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What one runtime left behind, read after its processes exited: every point (the union of its
 * index directories, one per GKE shard) and the ranked hits of each query in the default (hybrid)
 * mode.
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
   * Reads {@code directories} (one per GKE shard) and answers every query as a user of the whole
   * index would: the union of their points, written into one fresh index (as the shards of a real
   * deployment write into one Qdrant collection, so BM25's statistics are the whole corpus's), and
   * searched in the default (hybrid) mode, one hit per document, the dense side exhaustive.
   */
  static RuntimeIndex read(
      String runtime, List<Path> directories, EmbeddingModel model, List<String> queries) {
    return read(runtime, directories, model, queries, id -> true);
  }

  /**
   * {@link #read(String, List, EmbeddingModel, List)} of the documents {@code compared} accepts
   * only (by id): the others' points are left out of the points and of the index the queries
   * search, as if the corpus had held only these.
   */
  static RuntimeIndex read(
      String runtime,
      List<Path> directories,
      EmbeddingModel model,
      List<String> queries,
      Predicate<String> compared) {
    Map<PointId, Point> points = new TreeMap<>(Comparator.comparing(PointId::toString));
    for (Path directory : directories) {
      for (Point point : LuceneVectorStores.readAll(directory)) {
        if (!compared.test(point.payload().documentId().value())) {
          continue;
        }
        if (points.put(point.id(), point) != null) {
          throw new IllegalStateException(
              runtime + ": point " + point + " is in two shards' indexes");
        }
      }
    }
    Map<DocumentId, List<Point>> byDocument =
        new TreeMap<>(Comparator.comparing(DocumentId::value));
    points
        .values()
        .forEach(
            p ->
                byDocument
                    .computeIfAbsent(p.payload().documentId(), d -> new ArrayList<>())
                    .add(p));
    Map<String, List<SearchHit>> hits = new LinkedHashMap<>();
    WriteStamps stamps = new WriteStamps(InstantSource.system());
    try (VectorStore union = LuceneVectorStores.inMemory(model.dimension())) {
      byDocument.forEach(
          (id, chunks) -> {
            chunks.sort(Comparator.comparingInt(p -> p.payload().chunkIndex()));
            union.write(
                List.of(
                    new DocumentWrite(
                        id, chunks.getFirst().payload().documentHash(), chunks, stamps.next())));
          });
      SearchDocumentsService search = new SearchDocumentsService(model, union);
      for (String query : queries) {
        hits.put(
            query,
            search
                .search(new SearchCommand(query, K, MetadataFilter.none(), null, true, true))
                .hits());
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
