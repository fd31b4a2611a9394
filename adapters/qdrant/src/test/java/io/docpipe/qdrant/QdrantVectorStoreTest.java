package io.docpipe.qdrant;

import io.docpipe.core.port.out.VectorStore;
import io.docpipe.harness.qdrant.QdrantStandIn;
import io.docpipe.testkit.VectorStoreContract;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Qdrant adapter against the contract, over real gRPC to the Qdrant stand-in. */
class QdrantVectorStoreTest extends VectorStoreContract {

  private static QdrantStandIn qdrant;
  private static final AtomicInteger COLLECTIONS = new AtomicInteger();

  private String lastCollection = "";

  @BeforeAll
  static void startStandIn() {
    qdrant = QdrantStandIn.start();
  }

  @AfterAll
  static void stopStandIn() {
    qdrant.close();
  }

  @Override
  protected VectorStore newStore(int dimension) {
    lastCollection = "contract-" + COLLECTIONS.incrementAndGet();
    return QdrantVectorStores.connect(settings(lastCollection), dimension);
  }

  @Override
  protected boolean supportsReopen() {
    return true;
  }

  @Override
  protected VectorStore reopen(int dimension) {
    return QdrantVectorStores.connect(settings(lastCollection), dimension);
  }

  private static QdrantSettings settings(String collection) {
    return QdrantSettings.of(qdrant.host(), qdrant.port(), collection);
  }
}
