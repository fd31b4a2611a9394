package io.docpipe.core.service;

import io.docpipe.core.port.in.DescribeIndex;
import io.docpipe.core.port.in.IndexDescription;
import io.docpipe.core.port.in.StoreStatus;
import io.docpipe.core.port.out.EmbeddingModel;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import java.util.Objects;

/** Describes the index from the model's identity and the store's own count and health check. */
public final class DescribeIndexService implements DescribeIndex {

  private final EmbeddingModel model;
  private final VectorStore store;

  public DescribeIndexService(EmbeddingModel model, VectorStore store) {
    this.model = Objects.requireNonNull(model, "model");
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public IndexDescription describe() {
    return new IndexDescription(model.modelId(), model.dimension(), store.count());
  }

  @Override
  public StoreStatus checkStore() {
    try {
      store.checkHealth();
      return new StoreStatus.Answering();
    } catch (VectorStoreException e) {
      return new StoreStatus.NotAnswering(String.valueOf(e.getMessage()));
    } catch (RuntimeException e) {
      // A probe reports; it does not fail. An unexpected error is still "not answering".
      return new StoreStatus.NotAnswering(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }

  @Override
  public java.util.Map<io.docpipe.core.model.DocumentId, String> documentsBySource(
      String sourcePrefix) {
    return store.documentsBySource(Objects.requireNonNull(sourcePrefix, "sourcePrefix"));
  }
}
