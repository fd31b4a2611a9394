/**
 * Contract test kits for docpipe's ports, published as their own artifact {@code
 * io.docpipe:docpipe-testkit} (managed by {@code docpipe-bom}; no test-jar): abstract JUnit 5
 * classes that docpipe's own adapters extend in their tests, and that a third-party adapter extends
 * to get the same checks. Depend on it in test scope, next to {@code junit-jupiter}.
 *
 * <ul>
 *   <li>{@link io.docpipe.testkit.VectorStoreContract}: implement {@code newStore(dimension)}.
 *   <li>{@link io.docpipe.testkit.EmbeddingModelContract}: implement {@code model()}.
 *   <li>{@link io.docpipe.testkit.DocumentSourceContract}: implement {@code
 *       givenSource(documents)}.
 *   <li>{@link io.docpipe.testkit.CorpusContract} (a listing and its source; includes every
 *       document source check): implement {@code givenCorpus(documents)}.
 *   <li>{@link io.docpipe.testkit.CheckpointStoreContract}: implement {@code newStore()} and {@code
 *       reopen()}.
 * </ul>
 *
 * <p>Each kit's class comment says what it checks. Kits with random data print the seed in their
 * failures; {@code -Ddocpipe.contract.seed=<seed>} replays it. Also here: {@link
 * io.docpipe.testkit.TestPoints} (points for store tests) and {@link io.docpipe.testkit.Podman}
 * (container tests that skip without podman), used by docpipe's own tests.
 */
@NullMarked
package io.docpipe.testkit;

import org.jspecify.annotations.NullMarked;
