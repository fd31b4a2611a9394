package io.docpipe.core.port.out;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.SearchHit;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Outgoing port for storing chunk vectors with their payloads and finding the nearest ones, and
 * (optionally) the chunks whose words best match a text.
 *
 * <p>A store is created for one vector dimension and refuses vectors of another length, and an
 * existing index of another dimension, with a {@link VectorStoreException}. Every write is durable
 * and visible to search when its call returns. Scores are cosine similarities in [-1, 1].
 */
public interface VectorStore extends AutoCloseable {

  /** The dimension this store holds. */
  int dimension();

  /**
   * Writes whole documents: for each, upserts its points by id and removes its points whose chunk
   * index is at or past the new point count. Durable when the call returns. Newest wins: a document
   * whose stored version has the same or a newer {@link DocumentWrite#stamp()} is left as it is
   * (the rest of the batch is written), so a version read earlier never replaces one read later.
   */
  void write(List<DocumentWrite> documents);

  /**
   * The stored {@code doc_hash} of each of {@code ids} that has points; absent ids are left out.
   */
  Map<DocumentId, ContentHash> storedHashes(Collection<DocumentId> ids);

  /**
   * Every stored document whose source starts with {@code sourcePrefix}, with its source: what a
   * source's listing is compared with to find the documents whose source is gone.
   *
   * @throws UnsupportedOperationException when this store cannot list its documents by source
   */
  default Map<DocumentId, String> documentsBySource(String sourcePrefix) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " cannot list its documents by source");
  }

  /** Removes every point of the document; returns how many there were. */
  long delete(DocumentId id);

  /**
   * Removes the document's points written from a read of its source older than {@code stamp} (see
   * {@link WriteStamps}): a read at {@code stamp} found the document gone or failing for good, so a
   * version read before is stale, while one read after (the source has it again) is not and stays.
   * Returns how many points were removed. The default removes every point of the document, as
   * {@link #delete(DocumentId)} does: right only for a store whose writers never race (the contract
   * kit asks for the stamps to be honoured).
   */
  default long deleteOlderThan(DocumentId id, long stamp) {
    return delete(id);
  }

  /** Removes every point whose metadata matches {@code filter}; returns how many there were. */
  long delete(MetadataFilter filter);

  /** The best matches, best first; ties broken by point id for a stable order. */
  List<SearchHit> search(VectorQuery query);

  /**
   * The best lexical matches for the words of {@code query.text()}, best first, ties broken by
   * point id: BM25 over each point's chunk text, which the store indexed when the point was written
   * (in the same write, and removed by the same delete). Scores are the store's BM25 scores:
   * positive, comparable within one answer only. A text without any searchable word finds nothing.
   *
   * @throws UnsupportedOperationException when this store keeps no lexical index
   * @throws VectorStoreException when the index was written without one (written by an older
   *     docpipe): the message says how to re-index
   */
  default List<SearchHit> searchText(LexicalQuery query) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName()
            + " keeps no lexical index; search in dense mode (--mode dense, \"mode\": \"dense\")");
  }

  /**
   * Reorganizes the store for search once a bulk load is over and the caller is done writing for
   * now. An embedded index merges its segments here (a search visits every segment's graph, so an
   * index bulk-loaded in many commits answers several times slower until merged); a server-side
   * store optimizes by itself and ignores the call. Points, payloads and answers do not change. May
   * take a while on a large index; safe to call at any time.
   */
  default void optimizeForSearch() {}

  /** Number of points stored. */
  long count();

  /** Throws a {@link VectorStoreException} when the store cannot serve requests (readiness). */
  void checkHealth();

  /** Releases files, connections and threads. */
  @Override
  void close();
}
