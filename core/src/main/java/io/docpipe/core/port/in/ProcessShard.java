package io.docpipe.core.port.in;

/**
 * Use case: index one shard of a corpus listing, resuming after the shard's last checkpoint, so
 * that many workers can split a corpus and a killed worker loses at most one batch of work.
 */
public interface ProcessShard {

  ShardReport process(ShardCommand command);
}
