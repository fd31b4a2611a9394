/**
 * The one place that maps configuration to implementations: {@link io.docpipe.wiring.DocpipeConfig}
 * read from {@code DOCPIPE_*} environment variables, and the Dagger modules every runtime's
 * component is built from ({@link io.docpipe.wiring.DocpipeModule}).
 */
@NullMarked
package io.docpipe.wiring;

import org.jspecify.annotations.NullMarked;
