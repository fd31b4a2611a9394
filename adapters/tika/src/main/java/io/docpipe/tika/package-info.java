/**
 * Text extraction in another process: a {@link io.docpipe.core.port.out.TextExtractor} that sends
 * each document to an Apache Tika Server beside docpipe (the {@code doc-builder} sidecar of an ECS
 * task or a GKE pod), so that a hostile or huge document costs that server's parser process, not
 * docpipe's heap. Entry type: {@link io.docpipe.tika.TikaExtraction}.
 */
@NullMarked
package io.docpipe.tika;

import org.jspecify.annotations.NullMarked;
