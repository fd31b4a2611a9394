/**
 * Incoming ports: docpipe's use cases, one interface each, with their command and report records.
 * Driving adapters (Lambda, Fargate, GKE, the CLI, your application) call these. Entry type: {@link
 * io.docpipe.core.port.in.IngestDocuments}.
 */
@NullMarked
package io.docpipe.core.port.in;

import org.jspecify.annotations.NullMarked;
