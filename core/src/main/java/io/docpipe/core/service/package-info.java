/**
 * The use case implementations: plain final classes wired by constructor, with no framework. Entry
 * type: {@link io.docpipe.core.service.IngestDocumentsService}.
 */
@NullMarked
package io.docpipe.core.service;

import org.jspecify.annotations.NullMarked;
