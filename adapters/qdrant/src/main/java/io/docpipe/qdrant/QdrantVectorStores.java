package io.docpipe.qdrant;

import io.docpipe.core.port.out.VectorStore;
import io.docpipe.core.port.out.VectorStoreException;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** Connects docpipe to a collection on a Qdrant server (self-hosted or Qdrant Cloud) over gRPC. */
public final class QdrantVectorStores {

  /** Largest vector dimension accepted (Qdrant's own limit is 65,536). */
  public static final int MAX_DIMENSION = 65_536;

  private QdrantVectorStores() {}

  /**
   * Whether {@code failure} (or a cause of it) is Qdrant refusing this client's API key (gRPC
   * {@code UNAUTHENTICATED} or {@code PERMISSION_DENIED}): a rotated key read again may cure it,
   * which retrying the same key cannot.
   */
  public static boolean refusedCredentials(Throwable failure) {
    // fromThrowable looks through the causes for the gRPC status.
    io.grpc.Status.Code code = io.grpc.Status.fromThrowable(failure).getCode();
    return code == io.grpc.Status.Code.UNAUTHENTICATED
        || code == io.grpc.Status.Code.PERMISSION_DENIED;
  }

  /**
   * Connects and bootstraps the collection: creates it (cosine, {@code dimension}) when missing,
   * refuses one of another dimension or distance, and adds the payload indexes.
   *
   * @throws VectorStoreException when Qdrant is unreachable after the retries (retriable) or the
   *     collection has another shape (not retriable)
   */
  public static VectorStore connect(QdrantSettings settings, int dimension) {
    return connect(settings, dimension, null);
  }

  /**
   * As {@link #connect(QdrantSettings, int)}, for vectors of the embedding model {@code modelId}: a
   * new (or empty) collection records it in its metadata, and one holding points of another model
   * is refused, naming both (two 384-dimensional models must not be mixed silently). A null {@code
   * modelId} neither records nor checks.
   *
   * @throws VectorStoreException as {@link #connect(QdrantSettings, int)}, and (not retriable) when
   *     the collection holds vectors of another model
   */
  public static VectorStore connect(
      QdrantSettings settings, int dimension, @Nullable String modelId) {
    Objects.requireNonNull(settings, "settings");
    if (dimension < 1 || dimension > MAX_DIMENSION) {
      throw new IllegalArgumentException(
          "vector dimension must be between 1 and " + MAX_DIMENSION + ": " + dimension);
    }
    QdrantGrpcClient.Builder grpc =
        QdrantGrpcClient.newBuilder(settings.host(), settings.port(), settings.useTls())
            .withTimeout(settings.timeout());
    if (settings.apiKey() != null) {
      grpc.withApiKey(settings.apiKey());
    }
    QdrantVectorStore store =
        new QdrantVectorStore(new QdrantClient(grpc.build()), settings, dimension, modelId);
    try {
      store.bootstrap();
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }
}
