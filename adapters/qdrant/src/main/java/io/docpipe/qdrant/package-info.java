/**
 * The production {@link io.docpipe.core.port.out.VectorStore}: chunk vectors and payloads in a
 * Qdrant collection, over gRPC with the official Java client, with batched idempotent upserts,
 * filtered search, BM25 lexical search through a sparse vector per point, deletes and retries.
 * Entry type: {@link io.docpipe.qdrant.QdrantVectorStores}.
 */
@NullMarked
package io.docpipe.qdrant;

import org.jspecify.annotations.NullMarked;
