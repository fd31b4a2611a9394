/**
 * The one place that maps configuration to implementations: {@link io.docpipe.wiring.DocpipeConfig}
 * read from {@code DOCPIPE_*} environment variables by the one {@link
 * io.docpipe.wiring.EnvironmentReader}, and the Dagger modules every runtime's component is built
 * from ({@link io.docpipe.wiring.DocpipeModule}; {@link io.docpipe.wiring.EventIngestionModule} for
 * the runtimes driven by events and requests).
 */
@NullMarked
package io.docpipe.wiring;

import org.jspecify.annotations.NullMarked;
