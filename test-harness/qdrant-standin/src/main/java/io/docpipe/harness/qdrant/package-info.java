/**
 * A test utility: a local stand-in for a Qdrant server (Qdrant's gRPC collection and point services
 * over loopback, in memory, with fault injection), so the real Qdrant client can be tested where no
 * Qdrant server runs. Entry type: {@link io.docpipe.harness.qdrant.QdrantStandIn}.
 */
@NullMarked
package io.docpipe.harness.qdrant;

import org.jspecify.annotations.NullMarked;
