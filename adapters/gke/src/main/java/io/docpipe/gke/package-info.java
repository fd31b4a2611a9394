/**
 * The GKE runtime: the shard worker an Indexed Job's pods run ({@link io.docpipe.gke.GkeCli} {@code
 * worker}: one shard of a corpus through the core's {@code ProcessShard}, checkpointed, stopped
 * cleanly by SIGTERM, ending with an exit code a {@code podFailurePolicy} acts on), and the
 * commands that submit such Jobs and CronJobs and show their progress ({@code submit}, {@code
 * status}). Entry type: {@link io.docpipe.gke.GkeCli}.
 */
@NullMarked
package io.docpipe.gke;

import org.jspecify.annotations.NullMarked;
