package io.docpipe.testkit;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.hash;
import static io.docpipe.testkit.TestPoints.randomUnitVector;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.PointId;
import io.docpipe.core.model.PointPayload;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.LexicalQuery;
import io.docpipe.core.port.out.Point;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link VectorStore} must show: extend this class, return a fresh empty store
 * from {@link #newStore(int)}, and every test here runs against it. Expected search results come
 * from a brute-force cosine reference ({@link #bruteForce}) over seeded random unit vectors; the
 * seed is part of every failure message.
 *
 * <p>To implement: {@link #newStore(int)} gives a new, empty store (its own index or collection)
 * for vectors of the dimension the test asks for ({@link #DIMENSION} mostly, others to check that a
 * wrong dimension is refused); the kit closes it after the test. Optional: {@link
 * #supportsExactSearch()} (default true), {@link #reopen(int)} with {@link #supportsReopen()} for
 * durable stores, {@link #seed()}.
 *
 * <p>Checked: writes are counted and searchable when {@code write} returns; a rewritten document
 * replaces its points and loses stale chunks; newest wins: a write whose {@link
 * DocumentWrite#stamp()} is older than the stored version's changes nothing, also after reopening
 * and among concurrent writers of one document, and a deletion of reads before it keeps it (ADR
 * 0027); exact search equals brute force and approximate search reaches recall@10 of {@value
 * #MIN_RECALL_AT_10}; cosine scores within {@value #SCORE_TOLERANCE}, ties ordered by point id;
 * equals, any-of and combined filters, minimum score; deletes by document and by filter with their
 * counts; stored hashes; wrong dimensions refused; reopening; a closed store fails its health
 * check; concurrent writes during searches. Lexical search ({@link #supportsLexicalSearch()}): an
 * identifier in exactly one document comes first, filters apply, equal scores are ordered (and cut
 * at k) by point id, deletes and rewrites remove the words with the vectors. To replay a failure,
 * run with {@code -Ddocpipe.contract.seed=<the seed in the message>} (or override {@link #seed()}).
 */
public abstract class VectorStoreContract {

  /** Vector dimension of the stores most tests use. */
  protected static final int DIMENSION = 32;

  /** How close a reported score must be to the reference cosine. */
  protected static final double SCORE_TOLERANCE = 1e-5;

  /** Recall@10 approximate search must reach against the brute-force reference. */
  protected static final double MIN_RECALL_AT_10 = 0.95;

  private final List<VectorStore> opened = new ArrayList<>();

  /** A new, empty store for vectors of {@code dimension}; the contract closes it after the test. */
  protected abstract VectorStore newStore(int dimension);

  /**
   * Whether the store answers {@link VectorStore#searchText} (docpipe's stores do). A store that
   * returns false skips the lexical checks and can serve dense searches only.
   */
  protected boolean supportsLexicalSearch() {
    return true;
  }

  /** Whether {@link VectorQuery#exact()} gives exhaustive, exactly ranked results. */
  protected boolean supportsExactSearch() {
    return true;
  }

  /**
   * Opens a store over the same index or collection as the last store {@link #newStore(int)}
   * returned (which the test has closed), for vectors of {@code dimension}; stores that cannot be
   * reopened (in-memory ones) leave the default and {@link #supportsReopen()} false, which skips
   * the tests that need it.
   */
  protected VectorStore reopen(int dimension) {
    throw new UnsupportedOperationException("this store cannot be reopened");
  }

  /** Whether {@link #reopen(int)} is implemented. */
  protected boolean supportsReopen() {
    return false;
  }

  /**
   * The seed of the random vectors: {@code -Ddocpipe.contract.seed}, else a fixed one; override to
   * pin another.
   */
  protected long seed() {
    return Long.getLong("docpipe.contract.seed", 20_260_101L);
  }

  @AfterEach
  final void closeStores() {
    for (VectorStore store : opened) {
      store.close();
    }
    opened.clear();
  }

  /** A fresh store from {@link #newStore(int)}, closed after the test. */
  protected final VectorStore store(int dimension) {
    VectorStore store = newStore(dimension);
    opened.add(store);
    return store;
  }

  // ---------------------------------------------------------------------------------------------
  // Writing, counting, overwriting

  @Test
  void newStore_isEmptyAndHasItsDimension() {
    VectorStore store = store(DIMENSION);

    assertThat(store.dimension()).isEqualTo(DIMENSION);
    assertThat(store.count()).isZero();
    assertThatCode(store::checkHealth).doesNotThrowAnyException();
  }

  @Test
  void writtenPoints_areCountedAndSearchableWhenWriteReturns() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<float[]> vectors = randomUnitVectors(random, 5, DIMENSION);

    store.write(
        List.of(document("a", vectors.subList(0, 3)), document("b", vectors.subList(3, 5))));

    assertThat(store.count()).as(seedInfo()).isEqualTo(5);
    List<SearchHit> hits = store.search(query(vectors.get(4), 1, false));
    assertThat(hits).as(seedInfo()).hasSize(1);
    assertThat(hits.getFirst().id()).isEqualTo(PointId.of(DocumentId.of("b"), 1));
    assertThat(hits.getFirst().score()).isCloseTo(1.0, within(SCORE_TOLERANCE));
  }

  @Test
  void optimizeForSearch_keepsEveryPointAndEveryAnswer_andTheStoreWritable() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<float[]> vectors = randomUnitVectors(random, 40, DIMENSION);
    // Several writes, so that an embedded index has several segments to merge.
    for (int d = 0; d < 8; d++) {
      store.write(List.of(document("doc-" + d, vectors.subList(d * 5, d * 5 + 5))));
    }
    List<List<SearchHit>> before = new ArrayList<>();
    for (float[] vector : vectors.subList(0, 10)) {
      before.add(store.search(query(vector, 5, true)));
    }

    store.optimizeForSearch();

    assertThat(store.count()).as(seedInfo()).isEqualTo(40);
    for (int i = 0; i < 10; i++) {
      assertThat(store.search(query(vectors.get(i), 5, true)))
          .as("exact answer %d after optimizing, %s", i, seedInfo())
          .isEqualTo(before.get(i));
      assertThat(store.search(query(vectors.get(i), 1, false)).getFirst().id())
          .as("approximate best match %d after optimizing, %s", i, seedInfo())
          .isEqualTo(before.get(i).getFirst().id());
    }
    store.write(List.of(document("after", randomUnitVectors(random, 2, DIMENSION))));
    assertThat(store.count()).isEqualTo(42);
  }

  @Test
  void emptyWrite_changesNothing() {
    VectorStore store = store(DIMENSION);

    store.write(List.of());

    assertThat(store.count()).isZero();
  }

  @Test
  void rewrittenDocument_replacesItsPointsById() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<float[]> before = randomUnitVectors(random, 3, DIMENSION);
    List<float[]> after = randomUnitVectors(random, 3, DIMENSION);
    store.write(List.of(document("doc", "v1", Map.of("state", "old"), before)));

    DocumentWrite rewrite = document("doc", "v2", Map.of("state", "new"), after);
    store.write(List.of(rewrite));

    assertThat(store.count()).as(seedInfo()).isEqualTo(3);
    assertThat(store.storedHashes(List.of(DocumentId.of("doc"))))
        .containsExactly(Map.entry(DocumentId.of("doc"), hash("doc", "v2")));
    for (int i = 0; i < after.size(); i++) {
      SearchHit best = store.search(query(after.get(i), 1, false)).getFirst();
      assertThat(best.payload()).as(seedInfo()).isEqualTo(rewrite.points().get(i).payload());
      assertThat(best.score()).isCloseTo(1.0, within(SCORE_TOLERANCE));
    }
    assertThat(store.search(new VectorQuery(before.get(0), 10, eq("state", "old"), null, false)))
        .isEmpty();
  }

  @Test
  void rewrittenDocument_losesStaleChunks() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.write(List.of(document("doc", "v1", Map.of(), randomUnitVectors(random, 5, DIMENSION))));
    store.write(List.of(document("other", randomUnitVectors(random, 2, DIMENSION))));

    List<float[]> shorter = randomUnitVectors(random, 2, DIMENSION);
    store.write(List.of(document("doc", "v2", Map.of(), shorter)));

    assertThat(store.count()).as(seedInfo()).isEqualTo(4);
    for (boolean exact : searchModes()) {
      List<SearchHit> hits = store.search(query(shorter.get(0), 100, exact));
      assertThat(hits)
          .as("exact=%s, %s", exact, seedInfo())
          .filteredOn(hit -> hit.documentId().value().equals("doc"))
          .extracting(hit -> hit.payload().chunkIndex())
          .containsExactlyInAnyOrder(0, 1);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Newest wins: the write stamps order the versions of one document (ADR 0027)

  @Test
  void olderWrite_arrivingAfterANewerOne_changesNothing_andANewerOneStillReplaces() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    long older = TestPoints.nextStamp();
    long newer = TestPoints.nextStamp();
    long newest = TestPoints.nextStamp();
    DocumentWrite v1 =
        stamped(
            document("doc", "v1", Map.of("state", "old"), randomUnitVectors(random, 4, DIMENSION)),
            older);
    DocumentWrite v2 =
        stamped(
            document("doc", "v2", Map.of("state", "new"), randomUnitVectors(random, 2, DIMENSION)),
            newer);
    DocumentWrite other = document("other", randomUnitVectors(random, 3, DIMENSION));

    store.write(List.of(v2));
    // Read before v2 but written after it (a slower writer), in a batch with another document.
    store.write(List.of(v1, other));

    assertOnlyVersion(store, v2, 3);
    assertThat(store.storedHashes(List.of(DocumentId.of("other"))))
        .as("the other document of the batch landed")
        .containsOnly(Map.entry(DocumentId.of("other"), other.documentHash()));

    DocumentWrite v3 =
        stamped(document("doc", "v3", Map.of(), randomUnitVectors(random, 3, DIMENSION)), newest);
    store.write(List.of(v3));
    assertOnlyVersion(store, v3, 3);
  }

  @Test
  void olderWrite_afterTheStoreIsReopened_stillChangesNothing() {
    Assumptions.assumeTrue(supportsReopen(), "this store cannot be reopened");
    Random random = new Random(seed());
    long older = TestPoints.nextStamp();
    long newer = TestPoints.nextStamp();
    DocumentWrite v1 =
        stamped(document("doc", "v1", Map.of(), randomUnitVectors(random, 4, DIMENSION)), older);
    DocumentWrite v2 =
        stamped(document("doc", "v2", Map.of(), randomUnitVectors(random, 2, DIMENSION)), newer);
    VectorStore store = store(DIMENSION);
    store.write(List.of(v2));
    store.close(); // an embedded index allows one open store at a time

    VectorStore again = reopen(DIMENSION);
    opened.add(again);
    again.write(List.of(v1));

    assertOnlyVersion(again, v2, 0);
  }

  @Test
  void olderDeletion_keepsANewerVersion_andALaterOneRemovesIt() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    long older = TestPoints.nextStamp();
    DocumentWrite v2 =
        stamped(
            document("doc", "v2", Map.of(), randomUnitVectors(random, 3, DIMENSION)),
            TestPoints.nextStamp());
    store.write(List.of(v2));

    // A read before v2's (or at the same time) found the document gone: v2 was read after it.
    assertThat(store.deleteOlderThan(DocumentId.of("doc"), older)).isZero();
    assertThat(store.deleteOlderThan(DocumentId.of("doc"), v2.stamp())).isZero();
    assertOnlyVersion(store, v2, 0);

    assertThat(store.deleteOlderThan(DocumentId.of("doc"), TestPoints.nextStamp())).isEqualTo(3);
    assertThat(store.storedHashes(List.of(DocumentId.of("doc")))).isEmpty();
    assertThat(store.count()).isZero();
  }

  /**
   * The store holds exactly {@code version} of its document, every chunk of it and nothing of
   * another version, beside {@code others} points of other documents.
   */
  private void assertOnlyVersion(VectorStore store, DocumentWrite version, int others) {
    DocumentId id = version.documentId();
    int chunks = version.points().size();
    assertThat(store.storedHashes(List.of(id)))
        .as("the newest version's hash")
        .containsOnly(Map.entry(id, version.documentHash()));
    assertThat(store.count())
        .as("its %d points and %d others", chunks, others)
        .isEqualTo(chunks + others);
    for (boolean exact : searchModes()) {
      List<SearchHit> hits = store.search(query(version.points().getFirst().vector(), 100, exact));
      assertThat(hits)
          .as("exact=%s, %s", exact, seedInfo())
          .filteredOn(hit -> hit.documentId().equals(id))
          .allSatisfy(
              hit -> assertThat(hit.payload().documentHash()).isEqualTo(version.documentHash()))
          .extracting(hit -> hit.payload().chunkIndex())
          .containsExactlyInAnyOrderElementsOf(
              java.util.stream.IntStream.range(0, chunks).boxed().toList());
    }
    if (supportsLexicalSearch()) {
      assertThat(store.searchText(new LexicalQuery("chunk of doc", 100, MetadataFilter.none())))
          .as("the words of the stored version only")
          .filteredOn(hit -> hit.documentId().equals(id))
          .hasSize(chunks)
          .allSatisfy(
              hit -> assertThat(hit.payload().documentHash()).isEqualTo(version.documentHash()));
    }
  }

  /** {@code write} as read at {@code stamp}. */
  private static DocumentWrite stamped(DocumentWrite write, long stamp) {
    return new DocumentWrite(write.documentId(), write.documentHash(), write.points(), stamp);
  }

  @Test
  void hits_carryTheFullPayload() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    DocumentId id = DocumentId.of("reports/2024/Grüße – 東京 🚀.pdf");
    ContentHash hash = ContentHash.of("the whole document");
    Map<String, String> metadata = new LinkedHashMap<>();
    metadata.put("lang", "de");
    metadata.put("dotted.key-1", "a value, with spaces / and = signs");
    metadata.put("empty", "");
    PointPayload first =
        new PointPayload(
            id,
            hash,
            0,
            "Grüße aus 東京 🚀\nsecond line\twith a tab",
            0,
            38,
            "s3://bucket/reports/2024/Grüße – 東京 🚀.pdf",
            metadata);
    PointPayload second =
        new PointPayload(id, hash, 1, "", 38, 38, "s3://bucket/reports/x.pdf", Map.of());
    float[] v0 = randomUnitVector(random, DIMENSION);
    float[] v1 = randomUnitVector(random, DIMENSION);
    store.write(
        List.of(
            new DocumentWrite(
                id,
                hash,
                List.of(
                    new Point(first.pointId(), v0, first), new Point(second.pointId(), v1, second)),
                TestPoints.nextStamp())));

    for (boolean exact : searchModes()) {
      SearchHit hit0 = store.search(query(v0, 1, exact)).getFirst();
      SearchHit hit1 = store.search(query(v1, 1, exact)).getFirst();
      assertThat(hit0.id()).isEqualTo(PointId.of(id, 0));
      assertThat(hit0.payload()).as("exact=%s", exact).isEqualTo(first);
      assertThat(hit0.documentId()).isEqualTo(id);
      assertThat(hit1.id()).isEqualTo(PointId.of(id, 1));
      assertThat(hit1.payload()).as("exact=%s", exact).isEqualTo(second);
    }
  }

  @Test
  void largeBatch_isWrittenInOneCall() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> batch = new ArrayList<>();
    for (int d = 0; d < 1000; d++) {
      batch.add(
          document(
              "batch-" + d, Map.of("group", "g" + d % 7), randomUnitVectors(random, 5, DIMENSION)));
    }

    store.write(batch);

    assertThat(store.count()).as(seedInfo()).isEqualTo(5000);
    for (int probe : new int[] {0, 499, 999}) {
      Point point = batch.get(probe).points().get(probe % 5);
      for (boolean exact : searchModes()) {
        SearchHit best = store.search(query(point.vector(), 1, exact)).getFirst();
        assertThat(best.id()).as("exact=%s, %s", exact, seedInfo()).isEqualTo(point.id());
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Search quality against the brute-force reference

  @Test
  void exactSearch_equalsBruteForce() {
    Assumptions.assumeTrue(supportsExactSearch(), "no exact search");
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = randomDocuments(random, 100, 5, DIMENSION);
    store.write(documents);
    List<Point> points = points(documents);

    for (int q = 0; q < 20; q++) {
      MetadataFilter filter = q % 2 == 0 ? MetadataFilter.none() : eq("lang", LANGS.get(q % 3));
      int k = 1 + q % 12;
      VectorQuery query =
          new VectorQuery(randomUnitVector(random, DIMENSION), k, filter, null, true);

      assertSameRanking(store.search(query), bruteForce(points, query), "query " + q);
    }
  }

  @Test
  void approximateSearch_reachesRecallAt10OfAtLeast95Percent() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = randomDocuments(random, 500, 4, DIMENSION);
    for (int from = 0; from < documents.size(); from += 100) {
      store.write(documents.subList(from, from + 100));
    }
    List<Point> points = points(documents);

    int queries = 50;
    int found = 0;
    for (int q = 0; q < queries; q++) {
      VectorQuery query = query(randomUnitVector(random, DIMENSION), 10, false);
      List<SearchHit> hits = store.search(query);
      List<SearchHit> reference = bruteForce(points, query);
      assertThat(hits).as("query %d, %s", q, seedInfo()).hasSize(10).isSortedAccordingTo(order());
      Map<PointId, Double> referenceScores = scoresById(bruteForce(points, query(query, 2000)));
      for (SearchHit hit : hits) {
        assertThat(hit.score())
            .as("score of %s is its cosine; query %d, %s", hit.id(), q, seedInfo())
            .isCloseTo(referenceScores.get(hit.id()), within(SCORE_TOLERANCE));
      }
      Set<PointId> expected = new HashSet<>(ids(reference));
      found += (int) hits.stream().filter(hit -> expected.contains(hit.id())).count();
    }
    double recall = found / (10.0 * queries);
    assertThat(recall).as("recall@10, %s", seedInfo()).isGreaterThanOrEqualTo(MIN_RECALL_AT_10);
  }

  @Test
  void scores_areCosineAlsoForVectorsThatAreNotUnitLength() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<float[]> vectors = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      vectors.add(scaled(randomUnitVector(random, DIMENSION), 0.05f + 3 * random.nextFloat()));
    }
    DocumentWrite document = document("scaled", vectors);
    store.write(List.of(document));

    for (boolean exact : searchModes()) {
      float[] queryVector = scaled(randomUnitVector(random, DIMENSION), 7.5f);
      VectorQuery query = query(queryVector, 20, exact);
      assertSameRanking(store.search(query), bruteForce(document.points(), query), "scaled");
    }
  }

  @Test
  void equalScores_areOrderedByPointId() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    float[] shared = randomUnitVector(random, DIMENSION);
    List<DocumentWrite> documents = new ArrayList<>();
    for (int d = 0; d < 6; d++) {
      documents.add(document("twin-" + d, List.of(shared.clone())));
    }
    documents.add(document("others", randomUnitVectors(random, 20, DIMENSION)));
    store.write(documents);
    List<PointId> twinIdsInOrder =
        documents.subList(0, 6).stream()
            .map(d -> d.points().getFirst().id())
            .sorted(Comparator.comparing(PointId::toString))
            .toList();

    for (boolean exact : searchModes()) {
      List<SearchHit> hits = store.search(query(shared, 3, exact));
      assertThat(hits)
          .as("exact=%s, %s", exact, seedInfo())
          .extracting(SearchHit::id)
          .containsExactlyElementsOf(twinIdsInOrder.subList(0, 3));
      assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isEqualTo(hits.get(0).score()));
    }
  }

  @Test
  void kLargerThanTheStore_returnsEveryPoint() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = randomDocuments(random, 4, 3, DIMENSION);
    store.write(documents);

    for (boolean exact : searchModes()) {
      VectorQuery query = query(randomUnitVector(random, DIMENSION), 500, exact);
      assertSameRanking(store.search(query), bruteForce(points(documents), query), "all");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Filters and minimum score

  @Test
  void equalsFilter_returnsOnlyMatchingPoints() {
    assertFilterMatchesReference(eq("lang", "de"));
  }

  @Test
  void anyOfFilter_returnsOnlyMatchingPoints() {
    assertFilterMatchesReference(MetadataFilter.of(MetadataFilter.anyOf("year", "2020", "2022")));
  }

  @Test
  void combinedFilters_mustAllHold() {
    assertFilterMatchesReference(
        MetadataFilter.of(
            MetadataFilter.eq("lang", "en"),
            MetadataFilter.anyOf("year", "2021", "2022", "1999"),
            MetadataFilter.eq("tagged", "yes")));
  }

  @Test
  void filterOnAKeyOnlySomePointsHave_skipsTheOthers() {
    assertFilterMatchesReference(eq("tagged", "yes"));
  }

  @Test
  void filterWithoutMatches_returnsNothing() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.write(randomDocuments(random, 12, 3, DIMENSION));

    for (boolean exact : searchModes()) {
      for (MetadataFilter filter :
          List.of(
              eq("lang", "xx"),
              eq("no-such-key", "en"),
              MetadataFilter.of(MetadataFilter.anyOf("year", "1900", "1901")),
              MetadataFilter.of(
                  MetadataFilter.eq("lang", "en"), MetadataFilter.eq("lang", "de")))) {
        VectorQuery query =
            new VectorQuery(randomUnitVector(random, DIMENSION), 10, filter, null, exact);
        assertThat(store.search(query)).as("%s, exact=%s", filter, exact).isEmpty();
      }
    }
  }

  @Test
  void minScore_dropsWeakerHits() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = randomDocuments(random, 60, 3, DIMENSION);
    store.write(documents);
    List<Point> points = points(documents);
    float[] queryVector = points.get(17).vector();
    List<SearchHit> all = bruteForce(points, query(queryVector, 1000, false));
    double minScore = thresholdInAGap(all, 8);

    for (boolean exact : searchModes()) {
      VectorQuery query = new VectorQuery(queryVector, 100, MetadataFilter.none(), minScore, exact);
      List<SearchHit> hits = store.search(query);
      assertThat(hits).allSatisfy(hit -> assertThat(hit.score()).isGreaterThanOrEqualTo(minScore));
      assertSameRanking(hits, bruteForce(points, query), "minScore " + minScore);
      assertThat(hits).hasSizeGreaterThanOrEqualTo(8);
    }
    VectorQuery impossible = new VectorQuery(queryVector, 10, MetadataFilter.none(), 1.5, false);
    assertThat(store.search(impossible)).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Lexical search (BM25 over the chunk text)

  /** A one-chunk-per-text document whose chunks say {@code texts}, vectors random. */
  private static DocumentWrite textDocument(
      Random random, String id, Map<String, String> metadata, String... texts) {
    DocumentId documentId = DocumentId.of(id);
    ContentHash hash = hash(id, "v1");
    List<Point> points = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < texts.length; i++) {
      PointPayload payload =
          new PointPayload(
              documentId,
              hash,
              i,
              texts[i],
              start,
              start + texts[i].length(),
              "test:///" + id,
              metadata);
      start += texts[i].length();
      points.add(new Point(payload.pointId(), randomUnitVector(random, DIMENSION), payload));
    }
    return new DocumentWrite(documentId, hash, points, TestPoints.nextStamp());
  }

  private static final String[] FILLER = {
    "quarterly report on the legit token rotation policy",
    "the rotation of every token follows the policy of the quarter",
    "notes from the meeting about key rotation and legit access",
    "a policy for tokens: rotate keys each quarter and report",
  };

  /** Forty documents about tokens and rotation, and one that names an identifier. */
  private List<DocumentWrite> tokenCorpus(Random random) {
    List<DocumentWrite> documents = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      documents.add(
          textDocument(
              random,
              "memo-" + i,
              Map.of("lang", i % 2 == 0 ? "en" : "de"),
              FILLER[i % FILLER.length] + ", part " + i,
              FILLER[(i + 1) % FILLER.length]));
    }
    documents.add(
        textDocument(
            random,
            "the-one",
            Map.of("lang", "en"),
            "appendix: the key ZX-4471-LEGIT-TOKEN expires in March",
            FILLER[0]));
    return documents;
  }

  @Test
  void lexicalSearch_findsAnIdentifierThatOccursInExactlyOneDocumentFirst() {
    Assumptions.assumeTrue(supportsLexicalSearch(), "store has no lexical search");
    VectorStore store = store(DIMENSION);
    store.write(tokenCorpus(new Random(seed())));

    for (String text :
        List.of(
            "ZX-4471-LEGIT-TOKEN",
            "when does the legit token ZX-4471-LEGIT-TOKEN expire",
            "zx-4471-legit-token rotation policy")) {
      List<SearchHit> hits = store.searchText(new LexicalQuery(text, 5, MetadataFilter.none()));
      assertThat(hits).as(text).isNotEmpty();
      assertThat(hits.get(0).documentId().value()).as(text).isEqualTo("the-one");
      assertThat(hits.get(0).payload().text()).as(text).contains("ZX-4471-LEGIT-TOKEN");
      assertThat(hits).as(text).isSortedAccordingTo(order());
      assertThat(hits).as(text).allSatisfy(hit -> assertThat(hit.score()).isPositive());
    }
  }

  @Test
  void lexicalSearch_findsNothingForWordsNoChunkHas_andTextWithoutWords() {
    Assumptions.assumeTrue(supportsLexicalSearch(), "store has no lexical search");
    VectorStore store = store(DIMENSION);
    store.write(tokenCorpus(new Random(seed())));

    assertThat(store.searchText(new LexicalQuery("xylophone", 5, MetadataFilter.none()))).isEmpty();
    assertThat(store.searchText(new LexicalQuery("?! -- ...", 5, MetadataFilter.none()))).isEmpty();
  }

  @Test
  void lexicalSearch_appliesFilters() {
    Assumptions.assumeTrue(supportsLexicalSearch(), "store has no lexical search");
    VectorStore store = store(DIMENSION);
    store.write(tokenCorpus(new Random(seed())));

    for (MetadataFilter filter :
        List.of(
            eq("lang", "de"),
            MetadataFilter.of(MetadataFilter.anyOf("lang", "de", "fr")),
            eq("lang", "en"))) {
      List<SearchHit> hits =
          store.searchText(new LexicalQuery("token rotation policy", 200, filter));
      long expected =
          tokenCorpus(new Random(seed())).stream()
              .flatMap(d -> d.points().stream())
              .filter(p -> filter.matches(p.payload().metadata()))
              .filter(p -> p.payload().text().matches("(?is).*\\b(token|rotation|policy).*"))
              .count();
      assertThat(hits).as("%s", filter).hasSize((int) expected);
      assertThat(hits)
          .as("%s", filter)
          .allSatisfy(hit -> assertThat(filter.matches(hit.payload().metadata())).isTrue());
    }
    assertThat(store.searchText(new LexicalQuery("ZX-4471-LEGIT-TOKEN", 5, eq("lang", "de"))))
        .noneSatisfy(hit -> assertThat(hit.documentId().value()).isEqualTo("the-one"));
  }

  @Test
  void lexicalSearch_ordersEqualScoresByPointId_andCutsTiesAtKByPointId() {
    Assumptions.assumeTrue(supportsLexicalSearch(), "store has no lexical search");
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      documents.add(textDocument(random, "twin-" + i, Map.of(), "identical words in every twin"));
    }
    // In three writes: a store may keep each write apart (Lucene segments) until it merges.
    for (int from = 0; from < documents.size(); from += 10) {
      store.write(documents.subList(from, from + 10));
    }
    List<PointId> byId =
        documents.stream()
            .map(d -> d.points().get(0).id())
            .sorted(Comparator.comparing(PointId::toString))
            .toList();

    for (int k : List.of(1, 7, 30, 100)) {
      List<SearchHit> hits =
          store.searchText(new LexicalQuery("twin words", k, MetadataFilter.none()));
      assertThat(hits)
          .as("k=%d", k)
          .extracting(SearchHit::id)
          .containsExactlyElementsOf(byId.subList(0, Math.min(k, byId.size())));
      assertThat(store.searchText(new LexicalQuery("twin words", k, MetadataFilter.none())))
          .as("the same answer again, k=%d", k)
          .isEqualTo(hits);
    }
  }

  @Test
  void deleteAndRewrite_removeTheLexicalEntriesWithTheVectors() {
    Assumptions.assumeTrue(supportsLexicalSearch(), "store has no lexical search");
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.write(tokenCorpus(random));
    store.write(
        List.of(textDocument(random, "shrinking", Map.of(), "kept words", "stale quokka chunk")));
    store.write(List.of(textDocument(random, "shrinking", Map.of(), "kept words only")));

    assertThat(store.searchText(new LexicalQuery("quokka", 5, MetadataFilter.none())))
        .as("the stale chunk's words")
        .isEmpty();
    assertThat(store.searchText(new LexicalQuery("kept", 5, MetadataFilter.none())))
        .extracting(hit -> hit.documentId().value())
        .containsExactly("shrinking");

    assertThat(store.delete(DocumentId.of("the-one"))).isEqualTo(2);
    assertThat(store.searchText(new LexicalQuery("ZX-4471-LEGIT-TOKEN", 5, MetadataFilter.none())))
        .noneSatisfy(hit -> assertThat(hit.documentId().value()).isEqualTo("the-one"));
    assertThat(store.delete(eq("lang", "de"))).isEqualTo(40);
    assertThat(store.searchText(new LexicalQuery("token rotation", 200, MetadataFilter.none())))
        .isNotEmpty()
        .allSatisfy(hit -> assertThat(hit.payload().metadata()).doesNotContainEntry("lang", "de"));
  }

  // ---------------------------------------------------------------------------------------------
  // Deleting and stored hashes

  @Test
  void deleteByDocument_removesItsPointsAndReturnsTheirCount() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<float[]> doomed = randomUnitVectors(random, 4, DIMENSION);
    List<DocumentWrite> batch = new ArrayList<>(randomDocuments(random, 100, 3, DIMENSION));
    batch.add(50, document("doomed", doomed));
    store.write(batch);

    long removed = store.delete(DocumentId.of("doomed"));

    assertThat(removed).isEqualTo(4);
    assertThat(store.count()).isEqualTo(300);
    assertThat(store.storedHashes(List.of(DocumentId.of("doomed")))).isEmpty();
    for (boolean exact : searchModes()) {
      for (float[] vector : doomed) {
        assertThat(store.search(query(vector, 10, exact)))
            .as("exact=%s, %s", exact, seedInfo())
            .hasSize(10)
            .noneSatisfy(hit -> assertThat(hit.documentId().value()).isEqualTo("doomed"));
      }
    }
    assertThat(store.delete(DocumentId.of("doomed"))).isZero();
  }

  @Test
  void deleteOfUnknownDocument_returnsZero() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.write(List.of(document("present", randomUnitVectors(random, 2, DIMENSION))));

    assertThat(store.delete(DocumentId.of("absent"))).isZero();
    assertThat(store.count()).isEqualTo(2);
  }

  @Test
  void deleteByFilter_removesMatchingPointsAndReturnsTheirCount() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = randomDocuments(random, 30, 3, DIMENSION);
    store.write(documents);
    MetadataFilter filter = MetadataFilter.of(MetadataFilter.anyOf("lang", "de", "fr"));
    List<Point> matching =
        points(documents).stream().filter(p -> filter.matches(p.payload().metadata())).toList();

    long removed = store.delete(filter);

    assertThat(removed).isEqualTo(matching.size());
    assertThat(store.count()).isEqualTo(90 - matching.size());
    for (boolean exact : searchModes()) {
      assertThat(
              store.search(
                  new VectorQuery(randomUnitVector(random, DIMENSION), 100, filter, null, exact)))
          .isEmpty();
      assertThat(store.search(query(randomUnitVector(random, DIMENSION), 100, exact)))
          .hasSize(90 - matching.size())
          .allSatisfy(hit -> assertThat(hit.payload().metadata()).containsEntry("lang", "en"));
    }
    assertThat(store.delete(filter)).isZero();
  }

  @Test
  void storedHashes_returnsHashesOfPresentDocumentsOnly() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.write(
        List.of(
            document("a", randomUnitVectors(random, 2, DIMENSION)),
            document("b", "v7", Map.of(), randomUnitVectors(random, 1, DIMENSION))));

    Map<DocumentId, ContentHash> hashes =
        store.storedHashes(List.of(DocumentId.of("a"), DocumentId.of("b"), DocumentId.of("c")));

    assertThat(hashes)
        .containsOnly(
            Map.entry(DocumentId.of("a"), hash("a", "v1")),
            Map.entry(DocumentId.of("b"), hash("b", "v7")));
    assertThat(store.storedHashes(List.of())).isEmpty();
    assertThat(store.storedHashes(List.of(DocumentId.of("c")))).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Refusals, empty store, lifecycle

  @Test
  void writeWithWrongDimension_isRefusedAndWritesNothing() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    DocumentWrite good = document("good", randomUnitVectors(random, 2, DIMENSION));
    DocumentWrite bad =
        document(
            "bad",
            List.of(randomUnitVector(random, DIMENSION), randomUnitVector(random, DIMENSION - 1)));

    assertThatThrownBy(() -> store.write(List.of(good, bad)))
        .isInstanceOfSatisfying(
            VectorStoreException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining(String.valueOf(DIMENSION))
        .hasMessageContaining(String.valueOf(DIMENSION - 1));
    assertThat(store.count()).isZero();
  }

  @Test
  void queryWithWrongDimension_isRefused() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.write(List.of(document("a", randomUnitVectors(random, 2, DIMENSION))));

    assertThatThrownBy(() -> store.search(query(randomUnitVector(random, DIMENSION + 1), 3, false)))
        .isInstanceOf(VectorStoreException.class)
        .hasMessageContaining(String.valueOf(DIMENSION + 1));
  }

  @Test
  void searchOfEmptyStore_returnsNothing() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);

    for (boolean exact : searchModes()) {
      assertThat(store.search(query(randomUnitVector(random, DIMENSION), 10, exact))).isEmpty();
      assertThat(
              store.search(
                  new VectorQuery(
                      randomUnitVector(random, DIMENSION), 10, eq("lang", "en"), 0.0, exact)))
          .isEmpty();
    }
  }

  @Test
  void reopeningWithAnotherDimension_isRefusedNamingBoth_andTheDataStays() {
    Assumptions.assumeTrue(supportsReopen(), "this store cannot be reopened");
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.write(List.of(document("kept", randomUnitVectors(random, 3, DIMENSION))));
    store.close(); // an embedded index allows one open store at a time

    assertThatThrownBy(() -> reopen(DIMENSION + 16).close())
        .isInstanceOfSatisfying(
            VectorStoreException.class, e -> assertThat(e.retriable()).isFalse())
        .hasMessageContaining(String.valueOf(DIMENSION))
        .hasMessageContaining(String.valueOf(DIMENSION + 16));
    VectorStore again = reopen(DIMENSION);
    opened.add(again);
    assertThat(again.count()).isEqualTo(3);
    assertThat(again.storedHashes(List.of(DocumentId.of("kept"))))
        .containsOnly(Map.entry(DocumentId.of("kept"), hash("kept", "v1")));
  }

  @Test
  void unchangedDetection_readsTheHashesOfThousandsOfDocuments() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = new ArrayList<>();
    for (int d = 0; d < 2500; d++) {
      documents.add(
          document(
              "many-" + d,
              d % 5 == 0 ? "v2" : "v1",
              Map.of(),
              randomUnitVectors(random, 1 + d % 3, DIMENSION)));
    }
    store.write(documents);
    List<DocumentId> asked = new ArrayList<>();
    for (int d = 0; d < 2600; d++) {
      asked.add(DocumentId.of("many-" + d));
    }

    Map<DocumentId, ContentHash> hashes = store.storedHashes(asked);

    assertThat(hashes).hasSize(2500);
    for (DocumentWrite document : documents) {
      assertThat(hashes).containsEntry(document.documentId(), document.documentHash());
    }
    assertThat(hashes).doesNotContainKey(DocumentId.of("many-2500"));
  }

  @Test
  void rewrittenDocuments_inOneWindow_eachKeepExactlyTheirNewChunks() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> first = new ArrayList<>();
    List<DocumentWrite> second = new ArrayList<>();
    for (int d = 0; d < 40; d++) {
      first.add(
          document("win-" + d, "v1", Map.of(), randomUnitVectors(random, 1 + d % 7, DIMENSION)));
      second.add(
          document(
              "win-" + d, "v2", Map.of(), randomUnitVectors(random, 1 + (d * 3) % 5, DIMENSION)));
    }
    store.write(first);

    store.write(second);

    assertThat(store.count()).isEqualTo(points(second).size());
    assertThat(store.storedHashes(second.stream().map(DocumentWrite::documentId).toList()))
        .hasSize(40)
        .allSatisfy((id, hash) -> assertThat(hash.hex()).isEqualTo(hash(id.value(), "v2").hex()));
    for (boolean exact : searchModes()) {
      VectorQuery query = query(randomUnitVector(random, DIMENSION), 1000, exact);
      assertSameRanking(store.search(query), bruteForce(points(second), query), "after rewrite");
    }
  }

  @Test
  void filterOnKeysWithDotsAndDashes_matchesThoseKeysOnly() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = new ArrayList<>();
    for (int d = 0; d < 12; d++) {
      Map<String, String> metadata = new LinkedHashMap<>();
      metadata.put("file.type", d % 2 == 0 ? "pdf" : "html");
      metadata.put("team-name", "t" + d % 3);
      metadata.put("file", "plain-" + d);
      documents.add(document("dotted-" + d, metadata, randomUnitVectors(random, 2, DIMENSION)));
    }
    store.write(documents);
    List<Point> points = points(documents);

    for (MetadataFilter filter :
        List.of(
            eq("file.type", "pdf"),
            MetadataFilter.of(
                MetadataFilter.eq("file.type", "html"),
                MetadataFilter.anyOf("team-name", "t0", "t2")))) {
      for (boolean exact : searchModes()) {
        VectorQuery query =
            new VectorQuery(randomUnitVector(random, DIMENSION), 100, filter, null, exact);
        List<SearchHit> reference = bruteForce(points, query);
        assertThat(reference).isNotEmpty();
        assertSameRanking(store.search(query), reference, filter + ", exact=" + exact);
      }
    }
    assertThat(store.delete(eq("file.type", "html"))).isEqualTo(12);
    assertThat(store.count()).isEqualTo(12);
  }

  @Test
  void closedStore_failsHealthCheck_andClosingAgainIsHarmless() {
    VectorStore store = store(DIMENSION);

    store.close();

    assertThatThrownBy(store::checkHealth).isInstanceOf(VectorStoreException.class);
    assertThatCode(store::close).doesNotThrowAnyException();
  }

  // ---------------------------------------------------------------------------------------------
  // Concurrency

  @Test
  void concurrentWritesOfDistinctDocuments_allLand_whileSearchesRun() throws Exception {
    VectorStore store = store(DIMENSION);
    int writers = 4;
    int documentsPerWriter = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers + 1);
    AtomicBoolean writing = new AtomicBoolean(true);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Random random = new Random(seed() + w);
        String prefix = "writer-" + w + "/";
        writes.add(
            pool.submit(
                () -> {
                  for (int d = 0; d < documentsPerWriter; d++) {
                    store.write(
                        List.of(document(prefix + d, randomUnitVectors(random, 3, DIMENSION))));
                  }
                }));
      }
      Random searchRandom = new Random(seed() - 1);
      Future<Integer> searches =
          pool.submit(
              () -> {
                int n = 0;
                do {
                  VectorQuery query = query(randomUnitVector(searchRandom, DIMENSION), 5, false);
                  assertThat(store.search(query)).hasSizeLessThanOrEqualTo(5);
                  n++;
                } while (writing.get());
                return n;
              });
      for (Future<?> write : writes) {
        write.get(2, TimeUnit.MINUTES);
      }
      writing.set(false);
      assertThat(searches.get(1, TimeUnit.MINUTES)).isPositive();
    } finally {
      writing.set(false);
      pool.shutdownNow();
    }

    assertThat(store.count()).isEqualTo((long) writers * documentsPerWriter * 3);
    List<DocumentId> ids = new ArrayList<>();
    for (int w = 0; w < writers; w++) {
      for (int d = 0; d < documentsPerWriter; d++) {
        ids.add(DocumentId.of("writer-" + w + "/" + d));
      }
    }
    assertThat(store.storedHashes(ids)).hasSize(ids.size());
  }

  @Test
  void concurrentWritersOfOneDocument_leaveTheNewestVersionWhole() throws Exception {
    VectorStore store = store(DIMENSION);
    int writers = 4;
    int rounds = 10;
    Map<String, Integer> chunksByHash = new java.util.concurrent.ConcurrentHashMap<>();
    Map<String, Long> stampByHash = new java.util.concurrent.ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        Random random = new Random(seed() + 10 + w);
        int writer = w;
        writes.add(
            pool.submit(
                () -> {
                  for (int r = 0; r < rounds; r++) {
                    int chunks = 1 + random.nextInt(6);
                    DocumentWrite version =
                        document(
                            "shared",
                            "w" + writer + "r" + r,
                            Map.of(),
                            randomUnitVectors(random, chunks, DIMENSION));
                    chunksByHash.put(version.documentHash().hex(), chunks);
                    stampByHash.put(version.documentHash().hex(), version.stamp());
                    store.write(List.of(version));
                  }
                }));
      }
      for (Future<?> write : writes) {
        write.get(2, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    Map<DocumentId, ContentHash> hashes = store.storedHashes(List.of(DocumentId.of("shared")));
    assertThat(hashes).as("some version is stored").containsOnlyKeys(DocumentId.of("shared"));
    ContentHash stored = hashes.values().iterator().next();
    assertThat(chunksByHash).containsKey(stored.hex());
    String newest =
        java.util.Collections.max(stampByHash.entrySet(), Map.Entry.comparingByValue()).getKey();
    assertThat(stored.hex()).as("the version of the newest stamp").isEqualTo(newest);
    int chunks = chunksByHash.getOrDefault(stored.hex(), -1);
    assertThat(store.count()).as("exactly the points of version %s", stored).isEqualTo(chunks);
    List<SearchHit> all =
        store.search(
            query(randomUnitVector(new Random(seed()), DIMENSION), 10, supportsExactSearch()));
    assertThat(all)
        .hasSize(chunks)
        .allSatisfy(hit -> assertThat(hit.payload().documentHash()).isEqualTo(stored));
    assertThat(all.stream().map(hit -> hit.payload().chunkIndex()).sorted().toList())
        .isEqualTo(java.util.stream.IntStream.range(0, chunks).boxed().toList());
  }

  // ---------------------------------------------------------------------------------------------
  // Listing documents by source (what pruning compares a source's listing with)

  @Test
  void documentsBySource_listsEachDocumentUnderThePrefixOnce_withItsSource() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    store.write(
        List.of(
            document("docs/a.md", randomUnitVectors(random, 3, DIMENSION)),
            document("docs/sub/b.md", randomUnitVectors(random, 1, DIMENSION)),
            document("docsother/c.md", randomUnitVectors(random, 2, DIMENSION)),
            document("elsewhere/d.md", randomUnitVectors(random, 2, DIMENSION))));

    Map<DocumentId, String> listed;
    try {
      listed = store.documentsBySource("test:///docs/");
    } catch (UnsupportedOperationException e) {
      Assumptions.abort("this store cannot list its documents by source: " + e.getMessage());
      return;
    }

    assertThat(listed)
        .containsOnly(
            Map.entry(DocumentId.of("docs/a.md"), "test:///docs/a.md"),
            Map.entry(DocumentId.of("docs/sub/b.md"), "test:///docs/sub/b.md"));
    store.delete(DocumentId.of("docs/a.md"));
    assertThat(store.documentsBySource("test:///docs/"))
        .containsOnlyKeys(DocumentId.of("docs/sub/b.md"));
    assertThat(store.documentsBySource("file:///nowhere/")).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // The reference and helpers

  /** Metadata languages of {@link #randomDocuments}, by document number modulo 3. */
  protected static final List<String> LANGS = List.of("en", "de", "fr");

  /**
   * {@code count} documents of {@code chunks} random unit vectors; document {@code d} carries
   * {@code lang} = {@link #LANGS}[d % 3], {@code year} = 2020 + d % 4 and, when d is even, {@code
   * tagged} = yes.
   */
  protected static List<DocumentWrite> randomDocuments(
      Random random, int count, int chunks, int dimension) {
    List<DocumentWrite> documents = new ArrayList<>(count);
    for (int d = 0; d < count; d++) {
      Map<String, String> metadata = new LinkedHashMap<>();
      metadata.put("lang", LANGS.get(d % 3));
      metadata.put("year", String.valueOf(2020 + d % 4));
      if (d % 2 == 0) {
        metadata.put("tagged", "yes");
      }
      documents.add(document("doc-" + d, metadata, randomUnitVectors(random, chunks, dimension)));
    }
    return documents;
  }

  /** Every point of {@code documents}. */
  protected static List<Point> points(Collection<DocumentWrite> documents) {
    return documents.stream().flatMap(d -> d.points().stream()).toList();
  }

  /**
   * The exact answer to {@code query} over {@code points}: cosine similarity computed in double
   * precision, filter by {@link MetadataFilter#matches}, at least {@code minScore}, best first,
   * ties by point id, at most {@code k}.
   */
  public static List<SearchHit> bruteForce(Collection<Point> points, VectorQuery query) {
    List<SearchHit> all = new ArrayList<>();
    for (Point point : points) {
      if (!query.filter().matches(point.payload().metadata())) {
        continue;
      }
      double score = cosine(query.vector(), point.vector());
      if (query.minScore() != null && score < query.minScore()) {
        continue;
      }
      all.add(new SearchHit(point.id(), score, point.payload()));
    }
    all.sort(SearchHit.BEST_FIRST);
    return List.copyOf(all.subList(0, Math.min(query.k(), all.size())));
  }

  /** Cosine similarity in double precision. */
  public static double cosine(float[] a, float[] b) {
    double dot = 0;
    double aa = 0;
    double bb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      aa += (double) a[i] * a[i];
      bb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(aa * bb);
  }

  /** Hits best first, ties by point id in string order: the order every store must return. */
  protected static Comparator<SearchHit> order() {
    return SearchHit.BEST_FIRST;
  }

  private void assertFilterMatchesReference(MetadataFilter filter) {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    List<DocumentWrite> documents = randomDocuments(random, 40, 3, DIMENSION);
    store.write(documents);
    List<Point> points = points(documents);

    for (boolean exact : searchModes()) {
      for (int q = 0; q < 3; q++) {
        VectorQuery query =
            new VectorQuery(randomUnitVector(random, DIMENSION), 200, filter, null, exact);
        List<SearchHit> reference = bruteForce(points, query);
        assertThat(reference).as("the filter matches something").isNotEmpty();
        List<SearchHit> hits = store.search(query);
        assertThat(hits)
            .allSatisfy(hit -> assertThat(filter.matches(hit.payload().metadata())).isTrue());
        assertSameRanking(hits, reference, filter + ", exact=" + exact);
      }
    }
  }

  private void assertSameRanking(List<SearchHit> actual, List<SearchHit> expected, String what) {
    assertThat(actual)
        .as("%s, %s", what, seedInfo())
        .extracting(SearchHit::id)
        .containsExactlyElementsOf(ids(expected));
    for (int i = 0; i < actual.size(); i++) {
      assertThat(actual.get(i).score())
          .as("score of hit %d; %s, %s", i, what, seedInfo())
          .isCloseTo(expected.get(i).score(), within(SCORE_TOLERANCE));
    }
    assertThat(actual).as("hits best first, ties by id").isSortedAccordingTo(order());
  }

  /** A minimum score strictly between two reference scores, at least {@code keep} hits above. */
  private static double thresholdInAGap(List<SearchHit> bestFirst, int keep) {
    for (int i = keep; i < bestFirst.size(); i++) {
      double above = bestFirst.get(i - 1).score();
      double below = bestFirst.get(i).score();
      if (above - below > 4 * SCORE_TOLERANCE) {
        return (above + below) / 2;
      }
    }
    throw new IllegalStateException("no gap between reference scores");
  }

  private List<Boolean> searchModes() {
    return supportsExactSearch() ? List.of(false, true) : List.of(false);
  }

  private String seedInfo() {
    return "seed " + seed();
  }

  private static VectorQuery query(float[] vector, int k, boolean exact) {
    return new VectorQuery(vector, k, MetadataFilter.none(), null, exact);
  }

  private static VectorQuery query(VectorQuery query, int k) {
    return new VectorQuery(query.vector(), k, query.filter(), query.minScore(), query.exact());
  }

  private static MetadataFilter eq(String key, String value) {
    return MetadataFilter.of(MetadataFilter.eq(key, value));
  }

  private static float[] scaled(float[] vector, float factor) {
    float[] scaled = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      scaled[i] = vector[i] * factor;
    }
    return scaled;
  }

  private static List<PointId> ids(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::id).toList();
  }

  private static Map<PointId, Double> scoresById(List<SearchHit> hits) {
    Map<PointId, Double> scores = new LinkedHashMap<>();
    for (SearchHit hit : hits) {
      scores.put(hit.id(), hit.score());
    }
    return scores;
  }
}
