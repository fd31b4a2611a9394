/**
 * The {@code docpipe} command line: ingest directories, search, delete, show stats and evaluate
 * retrieval on BEIR datasets, all on the embedded defaults. Entry type: {@link
 * io.docpipe.cli.DocpipeCli}.
 */
@NullMarked
package io.docpipe.cli;

import org.jspecify.annotations.NullMarked;
