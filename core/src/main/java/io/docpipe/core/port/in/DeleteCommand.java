package io.docpipe.core.port.in;

import io.docpipe.core.model.DocumentId;
import java.util.List;

/** Documents to remove from the index. */
public record DeleteCommand(List<DocumentId> documents) {
  public DeleteCommand {
    documents = List.copyOf(documents);
  }

  public static DeleteCommand of(DocumentId... ids) {
    return new DeleteCommand(List.of(ids));
  }
}
