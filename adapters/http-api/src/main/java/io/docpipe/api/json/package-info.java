/**
 * The JSON bodies of docpipe's HTTP API, as records: what clients send and what they get back. One
 * schema for every runtime; {@code adapters/fargate/src/main/resources/openapi.yaml} describes it.
 */
@NullMarked
package io.docpipe.api.json;

import org.jspecify.annotations.NullMarked;
