package io.docpipe.testkit.example;

import io.docpipe.core.port.out.CheckpointStore;
import io.docpipe.testkit.CheckpointStoreContract;

/** The README's worked example: an adapter gets the kit's checks by extending it. */
class InMemoryCheckpointStoreTest extends CheckpointStoreContract {
  private InMemoryCheckpointStore store;

  @Override
  protected CheckpointStore newStore() {
    store = new InMemoryCheckpointStore();
    return store;
  }

  @Override
  protected CheckpointStore reopen() {
    return store; // in memory: the same storage is the same map
  }
}
