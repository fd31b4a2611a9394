/**
 * Token-aware recursive chunking: splits extracted text into overlapping chunks that never exceed
 * the embedding model's input limit and keep their exact char spans. Entry type: {@link
 * io.docpipe.core.chunking.Chunker}.
 */
@NullMarked
package io.docpipe.core.chunking;

import org.jspecify.annotations.NullMarked;
