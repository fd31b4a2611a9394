package io.docpipe.harness.qdrant;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.qdrant.client.grpc.Collections.CollectionConfig;
import io.qdrant.client.grpc.Collections.CollectionDescription;
import io.qdrant.client.grpc.Collections.CollectionExists;
import io.qdrant.client.grpc.Collections.CollectionExistsRequest;
import io.qdrant.client.grpc.Collections.CollectionExistsResponse;
import io.qdrant.client.grpc.Collections.CollectionInfo;
import io.qdrant.client.grpc.Collections.CollectionOperationResponse;
import io.qdrant.client.grpc.Collections.CollectionParams;
import io.qdrant.client.grpc.Collections.CollectionStatus;
import io.qdrant.client.grpc.Collections.CreateCollection;
import io.qdrant.client.grpc.Collections.DeleteCollection;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.GetCollectionInfoRequest;
import io.qdrant.client.grpc.Collections.GetCollectionInfoResponse;
import io.qdrant.client.grpc.Collections.ListCollectionsRequest;
import io.qdrant.client.grpc.Collections.ListCollectionsResponse;
import io.qdrant.client.grpc.Collections.PayloadSchemaInfo;
import io.qdrant.client.grpc.Collections.SparseVectorConfig;
import io.qdrant.client.grpc.Collections.UpdateCollection;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Collections.VectorsConfig;
import io.qdrant.client.grpc.CollectionsGrpc;
import java.util.Map;
import java.util.concurrent.ConcurrentMap;

/**
 * Qdrant's {@code Collections} service: Get, List, Create, Update (metadata only), Delete,
 * CollectionExists.
 */
final class StandInCollections extends CollectionsGrpc.CollectionsImplBase {

  private final ConcurrentMap<String, StoredCollection> collections;

  StandInCollections(ConcurrentMap<String, StoredCollection> collections) {
    this.collections = collections;
  }

  @Override
  public void get(
      GetCollectionInfoRequest request, StreamObserver<GetCollectionInfoResponse> response) {
    StoredCollection c = StandInPoints.collection(collections, request.getCollectionName());
    CollectionInfo.Builder info =
        CollectionInfo.newBuilder()
            .setStatus(CollectionStatus.Green)
            .setSegmentsCount(1)
            .setPointsCount(c.pointCount())
            .setIndexedVectorsCount(c.pointCount())
            .setConfig(
                CollectionConfig.newBuilder()
                    .putAllMetadata(c.metadata())
                    .setParams(
                        CollectionParams.newBuilder()
                            .setShardNumber(1)
                            .setVectorsConfig(
                                VectorsConfig.newBuilder()
                                    .setParams(
                                        VectorParams.newBuilder()
                                            .setSize(c.size)
                                            .setDistance(c.distance)))
                            .setSparseVectorsConfig(
                                SparseVectorConfig.newBuilder().putAllMap(c.sparseVectors))));
    for (Map.Entry<String, io.qdrant.client.grpc.Collections.PayloadSchemaType> index :
        c.payloadIndexes().entrySet()) {
      info.putPayloadSchema(
          index.getKey(), PayloadSchemaInfo.newBuilder().setDataType(index.getValue()).build());
    }
    response.onNext(GetCollectionInfoResponse.newBuilder().setResult(info).build());
    response.onCompleted();
  }

  @Override
  public void list(
      ListCollectionsRequest request, StreamObserver<ListCollectionsResponse> response) {
    ListCollectionsResponse.Builder list = ListCollectionsResponse.newBuilder();
    collections.keySet().stream()
        .sorted()
        .forEach(name -> list.addCollections(CollectionDescription.newBuilder().setName(name)));
    response.onNext(list.build());
    response.onCompleted();
  }

  @Override
  public void create(
      CreateCollection request, StreamObserver<CollectionOperationResponse> response) {
    String name = request.getCollectionName();
    if (name.isEmpty()) {
      throw StoredCollection.invalid("collection name must not be empty");
    }
    if (!request.hasVectorsConfig() || !request.getVectorsConfig().hasParams()) {
      throw Status.UNIMPLEMENTED
          .withDescription("the Qdrant stand-in creates collections with one unnamed vector only")
          .asRuntimeException();
    }
    VectorParams params = request.getVectorsConfig().getParams();
    if (params.getSize() < 1 || params.getSize() > 65_536) {
      throw StoredCollection.invalid("vector size must be between 1 and 65536");
    }
    if (params.getDistance() == Distance.UnknownDistance
        || params.getDistance() == Distance.UNRECOGNIZED) {
      throw StoredCollection.invalid("unknown distance");
    }
    StoredCollection created =
        new StoredCollection(
            name,
            (int) params.getSize(),
            params.getDistance(),
            request.hasSparseVectorsConfig()
                ? request.getSparseVectorsConfig().getMapMap()
                : Map.of());
    created.mergeMetadata(request.getMetadataMap());
    if (collections.putIfAbsent(name, created) != null) {
      throw Status.ALREADY_EXISTS
          .withDescription("Wrong input: Collection `" + name + "` already exists!")
          .asRuntimeException();
    }
    response.onNext(CollectionOperationResponse.newBuilder().setResult(true).build());
    response.onCompleted();
  }

  /** Updates the metadata only (merged key by key); other changes are not modelled. */
  @Override
  public void update(
      UpdateCollection request, StreamObserver<CollectionOperationResponse> response) {
    StoredCollection c = StandInPoints.collection(collections, request.getCollectionName());
    UpdateCollection others =
        request.toBuilder().clearCollectionName().clearTimeout().clearMetadata().build();
    if (!others.equals(UpdateCollection.getDefaultInstance())) {
      throw Status.UNIMPLEMENTED
          .withDescription("the Qdrant stand-in updates a collection's metadata only")
          .asRuntimeException();
    }
    c.mergeMetadata(request.getMetadataMap());
    response.onNext(CollectionOperationResponse.newBuilder().setResult(true).build());
    response.onCompleted();
  }

  @Override
  public void delete(
      DeleteCollection request, StreamObserver<CollectionOperationResponse> response) {
    boolean removed = collections.remove(request.getCollectionName()) != null;
    response.onNext(CollectionOperationResponse.newBuilder().setResult(removed).build());
    response.onCompleted();
  }

  @Override
  public void collectionExists(
      CollectionExistsRequest request, StreamObserver<CollectionExistsResponse> response) {
    boolean exists = collections.containsKey(request.getCollectionName());
    response.onNext(
        CollectionExistsResponse.newBuilder()
            .setResult(CollectionExists.newBuilder().setExists(exists))
            .build());
    response.onCompleted();
  }
}
