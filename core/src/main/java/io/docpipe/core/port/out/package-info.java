/**
 * Outgoing ports: what the core needs from the outside world (document sources, text extraction,
 * embeddings, a vector store, checkpoints, metrics). Driven adapters implement them. Entry type:
 * {@link io.docpipe.core.port.out.VectorStore}.
 */
@NullMarked
package io.docpipe.core.port.out;

import org.jspecify.annotations.NullMarked;
