package io.docpipe.core.fakes;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.LexicalQuery;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/** A brute-force vector store in memory: the reference semantics, and a fault injector. */
public final class InMemoryVectorStore implements VectorStore {

  private final int dimension;
  private final Map<PointId, Point> points = new LinkedHashMap<>();

  /** The write stamp of each stored document's version: an older write changes nothing. */
  private final Map<DocumentId, Long> stamps = new HashMap<>();

  private final AtomicInteger writeCalls = new AtomicInteger();
  private volatile Predicate<DocumentId> failWritesOf = id -> false;
  private volatile @org.jspecify.annotations.Nullable String healthFailure;

  public InMemoryVectorStore(int dimension) {
    this.dimension = dimension;
  }

  private volatile boolean failDeletes;

  public void failDeletes(boolean fail) {
    this.failDeletes = fail;
  }

  public void failWritesOf(Predicate<DocumentId> predicate) {
    this.failWritesOf = predicate;
  }

  public int writeCalls() {
    return writeCalls.get();
  }

  public synchronized Map<PointId, Point> snapshot() {
    return Map.copyOf(points);
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public synchronized void write(List<DocumentWrite> documents) {
    writeCalls.incrementAndGet();
    for (DocumentWrite w : documents) {
      if (failWritesOf.test(w.documentId())) {
        throw new VectorStoreException("injected write failure for " + w.documentId(), true);
      }
      for (Point p : w.points()) {
        if (p.vector().length != dimension) {
          throw new VectorStoreException(
              "dimension " + p.vector().length + " != " + dimension, false);
        }
      }
    }
    for (DocumentWrite w : documents) {
      if (stamps.getOrDefault(w.documentId(), 0L) >= w.stamp()) {
        continue; // read before the stored version: newest wins (ADR 0027)
      }
      stamps.put(w.documentId(), w.stamp());
      points
          .values()
          .removeIf(
              p ->
                  p.payload().documentId().equals(w.documentId())
                      && p.payload().chunkIndex() >= w.points().size());
      w.points().forEach(p -> points.put(p.id(), p));
    }
  }

  @Override
  public synchronized Map<DocumentId, ContentHash> storedHashes(Collection<DocumentId> ids) {
    Map<DocumentId, ContentHash> out = new HashMap<>();
    for (Point p : points.values()) {
      if (ids.contains(p.payload().documentId())) {
        out.put(p.payload().documentId(), p.payload().documentHash());
      }
    }
    return out;
  }

  @Override
  public synchronized Map<DocumentId, String> documentsBySource(String sourcePrefix) {
    Map<DocumentId, String> found = new java.util.HashMap<>();
    for (Point p : points.values()) {
      if (p.payload().source().startsWith(sourcePrefix)) {
        found.put(p.payload().documentId(), p.payload().source());
      }
    }
    return found;
  }

  @Override
  public synchronized long delete(DocumentId id) {
    if (failDeletes) {
      throw new io.docpipe.core.port.out.VectorStoreException("injected delete failure", true);
    }
    int before = points.size();
    points.values().removeIf(p -> p.payload().documentId().equals(id));
    stamps.remove(id);
    return before - points.size();
  }

  @Override
  public synchronized long deleteOlderThan(DocumentId id, long stamp) {
    if (stamps.getOrDefault(id, 0L) >= stamp) {
      return 0; // the stored version was read at or after that read: it stays (ADR 0027)
    }
    return delete(id);
  }

  @Override
  public synchronized long delete(MetadataFilter filter) {
    int before = points.size();
    points.values().removeIf(p -> filter.matches(p.payload().metadata()));
    java.util.Set<DocumentId> left = new java.util.HashSet<>();
    points.values().forEach(p -> left.add(p.payload().documentId()));
    stamps.keySet().retainAll(left);
    return before - points.size();
  }

  @Override
  public synchronized List<SearchHit> search(VectorQuery query) {
    List<SearchHit> hits = new ArrayList<>();
    for (Point p : points.values()) {
      if (!query.filter().matches(p.payload().metadata())) {
        continue;
      }
      double score = 0;
      for (int i = 0; i < dimension; i++) {
        score += query.vector()[i] * p.vector()[i];
      }
      if (query.minScore() == null || score >= query.minScore()) {
        hits.add(new SearchHit(p.id(), score, p.payload()));
      }
    }
    return best(hits, query.k());
  }

  /** Okapi BM25 (k1 1.2, b 0.75) over lower-cased letter-or-digit runs: the reference semantics. */
  @Override
  public synchronized List<SearchHit> searchText(LexicalQuery query) {
    List<String> terms = words(query.text());
    Map<Point, List<String>> docs = new LinkedHashMap<>();
    double totalLength = 0;
    for (Point p : points.values()) {
      List<String> words = words(p.payload().text());
      docs.put(p, words);
      totalLength += words.size();
    }
    double averageLength = docs.isEmpty() ? 1 : Math.max(1, totalLength / docs.size());
    Map<String, Long> documentFrequency = new HashMap<>();
    for (List<String> words : docs.values()) {
      for (String word : new java.util.HashSet<>(words)) {
        documentFrequency.merge(word, 1L, Long::sum);
      }
    }
    List<SearchHit> hits = new ArrayList<>();
    for (Map.Entry<Point, List<String>> doc : docs.entrySet()) {
      Point p = doc.getKey();
      if (!query.filter().matches(p.payload().metadata())) {
        continue;
      }
      double score = 0;
      for (String term : new java.util.LinkedHashSet<>(terms)) {
        long tf = doc.getValue().stream().filter(term::equals).count();
        if (tf == 0) {
          continue;
        }
        long n = documentFrequency.get(term);
        double idf = Math.log(1 + (docs.size() - n + 0.5) / (n + 0.5));
        double norm = 1.2 * (1 - 0.75 + 0.75 * doc.getValue().size() / averageLength);
        score += idf * tf * 2.2 / (tf + norm);
      }
      if (score > 0) {
        hits.add(new SearchHit(p.id(), score, p.payload()));
      }
    }
    return best(hits, query.k());
  }

  /** The {@code k} highest scores, ties broken by id so a result never depends on map order. */
  private static List<SearchHit> best(List<SearchHit> hits, int k) {
    hits.sort(SearchHit.BEST_FIRST);
    return List.copyOf(hits.subList(0, Math.min(k, hits.size())));
  }

  private static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    for (String word : text.toLowerCase(java.util.Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  @Override
  public synchronized long count() {
    return points.size();
  }

  /** From now on, health checks fail with {@code reason} (null: they pass again). */
  public void failHealthChecks(@org.jspecify.annotations.Nullable String reason) {
    this.healthFailure = reason;
  }

  @Override
  public void checkHealth() {
    String reason = healthFailure;
    if (reason != null) {
      throw new VectorStoreException(reason, true);
    }
  }

  @Override
  public void close() {}
}
