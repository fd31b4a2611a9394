/**
 * The values docpipe works with: documents, chunks, point ids, search hits and per-document
 * outcomes. Entry type: {@link io.docpipe.core.model.Document}.
 */
@NullMarked
package io.docpipe.core.model;

import org.jspecify.annotations.NullMarked;
