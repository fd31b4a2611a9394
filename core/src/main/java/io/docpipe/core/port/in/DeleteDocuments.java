package io.docpipe.core.port.in;

/** Use case: remove documents, with every chunk they had, from the index. */
public interface DeleteDocuments {

  /**
   * Deleting a document that is not indexed is not an error: it is {@code Deleted(existed=false)}.
   */
  DeleteReport delete(DeleteCommand command);
}
