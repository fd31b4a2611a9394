package io.docpipe.wiring;

import io.docpipe.core.model.ContentHash;
import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MetadataFilter;
import io.docpipe.core.model.SearchHit;
import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.LexicalQuery;
import io.docpipe.core.port.out.VectorQuery;
import io.docpipe.core.port.out.VectorStore;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A vector store whose API key may rotate: see {@link Rotating}. Every call is sent again at most
 * once after a refusal, which is safe because each is idempotent (upserts and deletes by id or
 * filter, reads).
 */
final class RotatingVectorStore implements VectorStore {

  private final Rotating<VectorStore> store;

  RotatingVectorStore(Rotating<VectorStore> store) {
    this.store = store;
  }

  @Override
  public int dimension() {
    return store.client().dimension();
  }

  @Override
  public void write(List<DocumentWrite> documents) {
    store.run(s -> s.write(documents));
  }

  @Override
  public Map<DocumentId, ContentHash> storedHashes(Collection<DocumentId> ids) {
    return store.call(s -> s.storedHashes(ids));
  }

  @Override
  public Map<DocumentId, String> documentsBySource(String sourcePrefix) {
    return store.call(s -> s.documentsBySource(sourcePrefix));
  }

  @Override
  public long delete(DocumentId id) {
    return store.call(s -> s.delete(id));
  }

  @Override
  public long deleteOlderThan(DocumentId id, long stamp) {
    return store.call(s -> s.deleteOlderThan(id, stamp));
  }

  @Override
  public long delete(MetadataFilter filter) {
    return store.call(s -> s.delete(filter));
  }

  @Override
  public List<SearchHit> search(VectorQuery query) {
    return store.call(s -> s.search(query));
  }

  @Override
  public List<SearchHit> searchText(LexicalQuery query) {
    return store.call(s -> s.searchText(query));
  }

  @Override
  public void optimizeForSearch() {
    store.run(VectorStore::optimizeForSearch);
  }

  @Override
  public long count() {
    return store.call(VectorStore::count);
  }

  @Override
  public void checkHealth() {
    store.run(VectorStore::checkHealth);
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return "Rotating[" + store.client() + "]";
  }
}
