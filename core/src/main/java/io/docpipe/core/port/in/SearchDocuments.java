package io.docpipe.core.port.in;

/** Use case: find the chunks (or documents) most similar in meaning to a query text. */
public interface SearchDocuments {

  /**
   * @throws io.docpipe.core.port.out.EmbeddingException when the query cannot be embedded
   * @throws io.docpipe.core.port.out.VectorStoreException when the store cannot be searched
   */
  SearchReport search(SearchCommand command);
}
