/**
 * Contract test kits for docpipe's ports: extend the abstract class for a port (for example {@code
 * VectorStoreContract}), supply your implementation, and it gets the same checks as docpipe's own
 * adapters. Depend on {@code docpipe-testkit} in test scope.
 */
@NullMarked
package io.docpipe.testkit;

import org.jspecify.annotations.NullMarked;
