/**
 * The local test harness: {@code docpipe harness} runs one corpus through the Lambda, Fargate and
 * GKE runtimes on this machine, each started by its main class in a JVM of its own and each into
 * its own index, then compares the indexes point by point and their answers query by query. Entry
 * type: {@link io.docpipe.harness.HarnessCli}.
 */
@NullMarked
package io.docpipe.harness;

import org.jspecify.annotations.NullMarked;
