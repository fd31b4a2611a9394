/**
 * The {@code docpipe} command line and local harness: ingest directories, search, delete, show
 * stats and evaluate retrieval on BEIR datasets, all on the embedded defaults. Entry type: {@link
 * io.docpipe.harness.DocpipeCli}.
 */
@NullMarked
package io.docpipe.harness;

import org.jspecify.annotations.NullMarked;
