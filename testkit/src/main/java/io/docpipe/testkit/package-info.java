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
 * failures; {@code -Ddocpipe.contract.seed=<seed>} replays it.
 *
 * <p>Also here, the one copy of what docpipe's own tests share across modules:
 *
 * <ul>
 *   <li>{@link io.docpipe.testkit.TestPoints}: points for store tests;
 *   <li>{@link io.docpipe.testkit.EmbeddingsStandIn}: an OpenAI-compatible embeddings API on
 *       127.0.0.1 with deterministic vectors and counts;
 *   <li>{@link io.docpipe.testkit.OtlpReceiver}: a loopback OTLP/HTTP receiver that decodes spans;
 *   <li>{@link io.docpipe.testkit.ChildJvms}: a docpipe main in a JVM of its own;
 *   <li>{@link io.docpipe.testkit.TikaServerProcess}: the real Apache Tika Server on 127.0.0.1 (the
 *       Tika adapter's tests and the three-runtime harness);
 *   <li>{@link io.docpipe.testkit.Podman}, {@link io.docpipe.testkit.Commands}: container tests and
 *       tests of real tools, which skip with one line where the tool is absent;
 *   <li>{@link io.docpipe.testkit.HttpProbe}: an endpoint read until the process behind it listens;
 *   <li>{@link io.docpipe.testkit.Datasets}: data sets passed in with {@code -Ddocpipe.datasets};
 *   <li>{@link io.docpipe.testkit.LogCapture}: what a class logs.
 * </ul>
 */
@NullMarked
package io.docpipe.testkit;

import org.jspecify.annotations.NullMarked;
