/**
 * Kubernetes as a driven adapter, through the official Kubernetes Java client: shard checkpoints
 * kept in one ConfigMap per Job with optimistic concurrency ({@link
 * io.docpipe.kubernetes.KubernetesCluster#checkpointStore}), and a run's progress posted as Events
 * on its Job ({@link io.docpipe.kubernetes.KubernetesCluster#jobEvents}). Entry type: {@link
 * io.docpipe.kubernetes.KubernetesCluster}.
 */
@NullMarked
package io.docpipe.kubernetes;

import org.jspecify.annotations.NullMarked;
