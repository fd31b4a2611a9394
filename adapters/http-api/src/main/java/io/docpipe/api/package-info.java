/**
 * docpipe's HTTP API, independent of any transport: the JSON schema ({@link io.docpipe.api.json}),
 * request validation and limits, RFC 9457 problem responses with stable types, and the mapping to
 * the core's use cases. The Lambda HTTP handler and the Fargate service are thin transports over
 * {@link io.docpipe.api.DocpipeHttpApi}, so both speak exactly the same API.
 */
@NullMarked
package io.docpipe.api;

import org.jspecify.annotations.NullMarked;
