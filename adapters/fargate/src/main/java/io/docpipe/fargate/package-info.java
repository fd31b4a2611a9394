/**
 * docpipe's long-lived HTTP service for ECS Fargate, on Helidon SE 4: the shared JSON API of {@code
 * io.docpipe.api} plus asynchronous ingestion jobs, limits, bearer-token auth, health, Prometheus
 * metrics, JSON logs and a graceful SIGTERM drain. Start it with {@link
 * io.docpipe.fargate.FargateMain}; every setting is listed in {@code docs/configuration.md}.
 */
@NullMarked
package io.docpipe.fargate;

import org.jspecify.annotations.NullMarked;
