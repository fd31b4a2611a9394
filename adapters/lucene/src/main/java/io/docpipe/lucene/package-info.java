/**
 * The embedded {@link io.docpipe.core.port.out.VectorStore}: chunk vectors and their payloads in an
 * Apache Lucene index with HNSW vector fields, on disk or in memory, searched approximately or
 * exhaustively; each chunk's text also as an analysed field in the same document, for BM25 lexical
 * search ({@link io.docpipe.lucene.LexicalAnalysis}). An on-disk index can merge itself into one
 * segment once writes go quiet (ADR 0036). Entry type: {@link
 * io.docpipe.lucene.LuceneVectorStores}.
 */
@NullMarked
package io.docpipe.lucene;

import org.jspecify.annotations.NullMarked;
