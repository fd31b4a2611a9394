/**
 * A local AWS Lambda Runtime API for tests and local runs: {@link
 * io.docpipe.harness.lambda.LocalRuntimeApi} serves the documented {@code /2018-06-01/runtime}
 * endpoints that the real runtime interface client (or any custom runtime) polls, plus the Runtime
 * Interface Emulator's {@code POST /2015-03-31/functions/function/invocations} entry point, on
 * 127.0.0.1.
 */
@NullMarked
package io.docpipe.harness.lambda;

import org.jspecify.annotations.NullMarked;
