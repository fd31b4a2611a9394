package io.docpipe.harness.qdrant;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.util.TransmitStatusRuntimeExceptionInterceptor;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.JsonWithInt.Value;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A local stand-in for a Qdrant server, for tests on machines where none can run: Qdrant's own gRPC
 * {@code Collections} and {@code Points} services (from the service definitions shipped in {@code
 * io.qdrant:client}) on 127.0.0.1, in memory, implementing the RPCs docpipe uses with Qdrant's
 * documented semantics. The real {@code QdrantClient} talks to it over real gRPC. It can refuse
 * calls, slow them down and drop every connection in the middle of an upsert. See the module's
 * README for exactly what it implements and what it does not.
 */
public final class QdrantStandIn implements AutoCloseable {

  private final ConcurrentMap<String, StoredCollection> collections = new ConcurrentHashMap<>();
  private final Faults faults;
  private final StandInPoints points;
  private final Server server;
  private final LoopbackProxy proxy;

  private QdrantStandIn(@Nullable String apiKey) throws IOException {
    this.faults = new Faults(apiKey);
    this.points = new StandInPoints(collections, n -> dropAllConnections());
    this.server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .maxInboundMessageSize(64 * 1024 * 1024)
            .addService(
                ServerInterceptors.intercept(
                    new StandInCollections(collections),
                    TransmitStatusRuntimeExceptionInterceptor.instance(),
                    faults))
            .addService(
                ServerInterceptors.intercept(
                    points, TransmitStatusRuntimeExceptionInterceptor.instance(), faults))
            .build()
            .start();
    this.proxy = new LoopbackProxy(server.getPort());
  }

  /** Starts a stand-in that accepts calls without an API key. */
  public static QdrantStandIn start() {
    return start(null);
  }

  /** Starts a stand-in that refuses calls without {@code apiKey} in the {@code api-key} header. */
  public static QdrantStandIn start(@Nullable String apiKey) {
    try {
      return new QdrantStandIn(apiKey);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the Qdrant stand-in on 127.0.0.1", e);
    }
  }

  /** Always {@code 127.0.0.1}. */
  public String host() {
    return "127.0.0.1";
  }

  /** The gRPC port clients connect to. */
  public int port() {
    return proxy.port();
  }

  // --- faults ----------------------------------------------------------------------------------

  /**
   * From now on, calls without {@code apiKey} in the {@code api-key} header are refused with
   * UNAUTHENTICATED ({@code null}: none is needed): a key rotated on the server.
   */
  public void requireApiKey(@Nullable String apiKey) {
    faults.requireApiKey(apiKey);
  }

  /** The next {@code count} calls, of any RPC, fail with {@code code} before reaching a service. */
  public void failNextCalls(int count, Status.Code code) {
    faults.failAfter(0, count, code);
  }

  /** After {@code passing} more calls are served, the {@code count} calls after them fail. */
  public void failCallsAfter(int passing, int count, Status.Code code) {
    faults.failAfter(passing, count, code);
  }

  /** The next {@code count} calls are held for {@code delay} before they are served. */
  public void delayNextCalls(int count, Duration delay) {
    faults.delayNext(count, delay);
  }

  /**
   * The {@code nth} upsert from now is applied, and then every open connection is cut before its
   * answer is sent, so the client sees the connection fail and cannot know the upsert landed.
   */
  public void dropConnectionsDuringUpsert(int nth) {
    if (nth < 1) {
      throw new IllegalArgumentException("nth must be >= 1: " + nth);
    }
    points.dropConnectionsDuringUpsert(nth);
  }

  /**
   * Runs {@code hook} with the RPC's name ({@code "Upsert"} or {@code "Delete"}) before each update
   * is applied, on the thread serving it ({@code null}: none). A test uses it to interleave two
   * writers deterministically: the hook may make other calls and wait for them, since each call is
   * served on its own thread.
   */
  public void beforeEachUpdate(java.util.function.@Nullable Consumer<String> hook) {
    points.beforeEachUpdate(hook);
  }

  /** Cuts every open client connection now. */
  public void dropAllConnections() {
    proxy.dropAll();
  }

  /** How many times connections were cut. */
  public int connectionDrops() {
    return proxy.drops();
  }

  // --- inspection ------------------------------------------------------------------------------

  /** Calls received for an RPC, e.g. {@code "qdrant.Points/Upsert"}, refused ones included. */
  public long calls(String fullMethodName) {
    return faults.calls(fullMethodName);
  }

  /** Points per upsert call that reached the Points service, in arrival order. */
  public List<Integer> upsertSizes() {
    return points.upsertSizes();
  }

  /** Most upsert calls that were being served at the same time. */
  public int maxConcurrentUpserts() {
    return points.maxUpsertsInFlight();
  }

  /** Whether a collection of this name exists. */
  public boolean hasCollection(String collection) {
    return collections.containsKey(collection);
  }

  /** Creates a collection directly, as another client would have done before. */
  public void createCollection(String collection, int size, Distance distance) {
    if (collections.putIfAbsent(collection, new StoredCollection(collection, size, distance))
        != null) {
      throw new IllegalStateException("collection exists: " + collection);
    }
  }

  /** The sparse vectors a collection was created with: name → modifier (None when unset). */
  public Map<String, io.qdrant.client.grpc.Collections.Modifier> sparseVectors(String collection) {
    Map<String, io.qdrant.client.grpc.Collections.Modifier> modifiers = new LinkedHashMap<>();
    StandInPoints.collection(collections, collection)
        .sparseVectors
        .forEach((name, params) -> modifiers.put(name, params.getModifier()));
    return modifiers;
  }

  /** How many points of a collection carry the sparse vector {@code name}. */
  public long pointsWithSparse(String collection, String name) {
    return StandInPoints.collection(collections, collection).snapshot().stream()
        .filter(p -> p.sparse().containsKey(name))
        .count();
  }

  /** A collection's metadata (Qdrant 1.16+), as Get returns it. */
  public Map<String, io.qdrant.client.grpc.JsonWithInt.Value> metadata(String collection) {
    return StandInPoints.collection(collections, collection).metadata();
  }

  /** The payload indexes of a collection: field name → type. */
  public Map<String, PayloadSchemaType> payloadIndexes(String collection) {
    return StandInPoints.collection(collections, collection).payloadIndexes();
  }

  /** Every point of a collection: id (UUID or number as text) → payload. */
  public Map<String, Map<String, Value>> points(String collection) {
    Map<String, Map<String, Value>> all = new LinkedHashMap<>();
    for (StoredCollection.StoredPoint p :
        StandInPoints.collection(collections, collection).snapshot()) {
      all.put(StoredCollection.describe(p.id()), p.payload());
    }
    return all;
  }

  /** The stored (for cosine: normalised) vector of a point. */
  public Optional<float[]> vector(String collection, String pointId) {
    for (StoredCollection.StoredPoint p :
        StandInPoints.collection(collections, collection).snapshot()) {
      if (StoredCollection.describe(p.id()).equals(pointId)) {
        return Optional.of(p.vector().clone());
      }
    }
    return Optional.empty();
  }

  @Override
  public void close() {
    proxy.close();
    server.shutdownNow();
    try {
      server.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
