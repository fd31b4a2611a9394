package io.docpipe.qdrant;

import static io.docpipe.testkit.TestPoints.document;
import static io.docpipe.testkit.TestPoints.randomUnitVectors;
import static org.assertj.core.api.Assertions.assertThat;

import io.docpipe.core.port.out.DocumentWrite;
import io.docpipe.core.port.out.VectorStore;
import io.docpipe.testkit.VectorStoreContract;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.qdrant.QdrantContainer;

/**
 * The same contract against a real Qdrant server: the one at {@code DOCPIPE_TEST_QDRANT_URL}
 * ({@code host:port} of the gRPC port, optional {@code DOCPIPE_TEST_QDRANT_API_KEY}), else one
 * started by Testcontainers when a Docker-compatible engine is available (image from {@code
 * -Ddocpipe.test.qdrant.image}), else skipped with a message. Collections get a random prefix and
 * are deleted afterwards, so a shared server is left as it was.
 */
class RealQdrantVectorStoreTest extends VectorStoreContract {

  private static final String DEFAULT_IMAGE = "qdrant/qdrant:v1.16.2";

  private static @Nullable QdrantContainer container;
  private static String host = "";
  private static int port;
  private static @Nullable String apiKey;
  private static String skipReason = "";
  private static final String PREFIX =
      "docpipe-contract-" + UUID.randomUUID().toString().substring(0, 8) + "-";
  private static final List<String> CREATED = new CopyOnWriteArrayList<>();

  private static final String NO_QDRANT =
      "no real Qdrant to test against: set DOCPIPE_TEST_QDRANT_URL=host:port (gRPC, 6334) or"
          + " provide a Docker-compatible engine for Testcontainers. The contract still runs"
          + " against the Qdrant stand-in (QdrantVectorStoreTest).";

  private String lastCollection = "";

  /** Per test, so every skipped test shows why (a class-level abort is reported as no tests). */
  @BeforeEach
  void requireQdrant() {
    Assumptions.assumeFalse(host.isEmpty(), skipReason);
  }

  @BeforeAll
  static void findQdrant() {
    String url = System.getenv("DOCPIPE_TEST_QDRANT_URL");
    if (url != null && !url.isBlank()) {
      String hostPort = url.strip().replaceFirst("^[a-z]+://", "").replaceFirst("/.*$", "");
      int colon = hostPort.lastIndexOf(':');
      if (colon < 1) {
        throw new IllegalArgumentException(
            "DOCPIPE_TEST_QDRANT_URL must be host:port of Qdrant's gRPC port (6334): " + url);
      }
      host = hostPort.substring(0, colon);
      port = Integer.parseInt(hostPort.substring(colon + 1));
      String key = System.getenv("DOCPIPE_TEST_QDRANT_API_KEY");
      apiKey = key == null || key.isBlank() ? null : key;
      return;
    }
    if (!dockerAvailable()) {
      skipReason = NO_QDRANT;
      System.getLogger(RealQdrantVectorStoreTest.class.getName())
          .log(System.Logger.Level.WARNING, skipReason);
      return;
    }
    String image = System.getProperty("docpipe.test.qdrant.image", DEFAULT_IMAGE);
    QdrantContainer started = new QdrantContainer(image);
    try {
      started.start();
    } catch (RuntimeException e) {
      // An engine without registry access (or the image) cannot run it: say so, do not fail.
      skipReason =
          "a Docker-compatible engine is available but Qdrant (" + image + ") did not start: " + e;
      System.getLogger(RealQdrantVectorStoreTest.class.getName())
          .log(System.Logger.Level.WARNING, skipReason);
      started.close();
      return;
    }
    container = started;
    host = started.getHost();
    port = started.getGrpcPort();
  }

  private static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      return false;
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (!host.isEmpty() && !CREATED.isEmpty()) {
      QdrantGrpcClient.Builder grpc = QdrantGrpcClient.newBuilder(host, port, false);
      if (apiKey != null) {
        grpc.withApiKey(apiKey);
      }
      try (QdrantClient client = new QdrantClient(grpc.build())) {
        for (String name : CREATED) {
          client.deleteCollectionAsync(name, Duration.ofSeconds(30)).get(1, TimeUnit.MINUTES);
        }
      }
    }
    if (container != null) {
      container.stop();
    }
  }

  @Override
  protected VectorStore newStore(int dimension) {
    lastCollection = PREFIX + CREATED.size();
    CREATED.add(lastCollection);
    return QdrantVectorStores.connect(settings(), dimension);
  }

  @Override
  protected boolean supportsReopen() {
    return true;
  }

  @Override
  protected VectorStore reopen(int dimension) {
    return QdrantVectorStores.connect(settings(), dimension);
  }

  private QdrantSettings settings() {
    return QdrantSettings.of(host, port, lastCollection).withApiKey(apiKey);
  }

  /**
   * Qdrant's conditional upsert ({@code update_filter}, Qdrant 1.16+) as docpipe uses it, on the
   * real server: a write read before the stored version changes none of its points (not even chunks
   * past its end), and a deletion of an older read keeps the newer version (ADR 0027).
   */
  @Test
  void olderWrite_afterANewerOne_changesNothing_andAnOlderDeletionKeepsTheNewerVersion() {
    Random random = new Random(seed());
    VectorStore store = store(DIMENSION);
    DocumentWrite newer =
        stamped(
            document("shared", "newer", Map.of(), randomUnitVectors(random, 2, DIMENSION)), 3_000);
    DocumentWrite older =
        stamped(
            document("shared", "older", Map.of(), randomUnitVectors(random, 4, DIMENSION)), 2_000);
    try (VectorStore otherProcess = reopen(DIMENSION)) {
      store.write(List.of(newer));
      otherProcess.write(List.of(older));
      assertThat(otherProcess.deleteOlderThan(newer.documentId(), 2_500)).isZero();
    }

    assertThat(store.count()).isEqualTo(2);
    assertThat(store.storedHashes(List.of(newer.documentId())))
        .containsEntry(newer.documentId(), newer.documentHash());
    assertThat(store.documentsBySource("test:///shared")).containsOnlyKeys(newer.documentId());
    assertThat(store.deleteOlderThan(newer.documentId(), 3_001)).isEqualTo(2);
    assertThat(store.count()).isZero();
  }

  private static DocumentWrite stamped(DocumentWrite write, long stamp) {
    return new DocumentWrite(write.documentId(), write.documentHash(), write.points(), stamp);
  }
}
