package io.docpipe.core.port.in;

/**
 * Use case: describe the index: which model fills it, how many points it holds, and whether its
 * store answers now. Runtimes report stats and readiness through it instead of reaching the store.
 */
public interface DescribeIndex {

  /**
   * The model, its dimension and the point count.
   *
   * @throws io.docpipe.core.port.out.VectorStoreException when the store cannot count now
   */
  IndexDescription describe();

  /** Whether the store can serve requests now; cheap enough for a readiness probe, never throws. */
  StoreStatus checkStore();

  /**
   * The stored documents whose source URI starts with {@code sourcePrefix}, with their sources:
   * what a directory's re-ingestion compares with its listing to prune the files that are gone.
   *
   * @throws UnsupportedOperationException when the store cannot list by source (say so, skip)
   */
  java.util.Map<io.docpipe.core.model.DocumentId, String> documentsBySource(String sourcePrefix);
}
