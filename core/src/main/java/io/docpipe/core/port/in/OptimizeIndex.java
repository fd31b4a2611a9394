package io.docpipe.core.port.in;

/**
 * Use case: reorganize the index for search once a bulk load is over (an embedded index merges its
 * segments; a server-side store does nothing). Points and answers do not change.
 */
public interface OptimizeIndex {

  /**
   * @throws io.docpipe.core.port.out.VectorStoreException when the store cannot do it now
   */
  void optimize();
}
