package io.docpipe.harness.qdrant;

import static io.qdrant.client.ConditionFactory.filter;
import static io.qdrant.client.ConditionFactory.matchKeyword;
import static io.qdrant.client.ConditionFactory.matchKeywords;
import static io.qdrant.client.ConditionFactory.range;
import static io.qdrant.client.PointIdFactory.id;
import static io.qdrant.client.ValueFactory.value;
import static io.qdrant.client.VectorsFactory.vectors;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.grpc.Status;
import io.qdrant.client.QdrantClient;
import io.qdrant.client.QdrantGrpcClient;
import io.qdrant.client.WithPayloadSelectorFactory;
import io.qdrant.client.grpc.Collections.Distance;
import io.qdrant.client.grpc.Collections.PayloadSchemaType;
import io.qdrant.client.grpc.Collections.VectorParams;
import io.qdrant.client.grpc.Common.Filter;
import io.qdrant.client.grpc.Common.Range;
import io.qdrant.client.grpc.JsonWithInt.Value;
import io.qdrant.client.grpc.Points.FieldType;
import io.qdrant.client.grpc.Points.PointStruct;
import io.qdrant.client.grpc.Points.ScoredPoint;
import io.qdrant.client.grpc.Points.ScrollPoints;
import io.qdrant.client.grpc.Points.ScrollResponse;
import io.qdrant.client.grpc.Points.SearchPoints;
import io.qdrant.client.grpc.Points.UpdateMode;
import io.qdrant.client.grpc.Points.UpdateStatus;
import io.qdrant.client.grpc.Points.UpsertPoints;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in's Qdrant semantics, through the real client over gRPC. */
class QdrantStandInTest {

  private QdrantStandIn qdrant;
  private QdrantClient client;

  @BeforeEach
  void start() throws Exception {
    qdrant = QdrantStandIn.start();
    client =
        new QdrantClient(QdrantGrpcClient.newBuilder(qdrant.host(), qdrant.port(), false).build());
    client
        .createCollectionAsync(
            "c", VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build())
        .get();
    client
        .upsertAsync(
            "c",
            List.of(
                point(1, new float[] {1, 0}, "en", "2020", 3),
                point(2, new float[] {0, 1}, "de", "2021", 5),
                point(3, new float[] {2, 2}, "fr", "2020", 7)))
        .get();
  }

  @AfterEach
  void stop() {
    client.close();
    qdrant.close();
  }

  private static PointStruct point(long n, float[] vector, String lang, String year, long size) {
    return PointStruct.newBuilder()
        .setId(id(n))
        .setVectors(vectors(vector))
        .putPayload("meta", value(Map.of("lang", value(lang), "a.b", value(year))))
        .putPayload("size", value(size))
        .putPayload("tags", value(List.of(value("x"), value(lang + "-tag"))))
        .build();
  }

  private List<Long> search(Filter filter, float[] vector, Float threshold) throws Exception {
    SearchPoints.Builder request =
        SearchPoints.newBuilder()
            .setCollectionName("c")
            .setFilter(filter)
            .setLimit(10)
            .setWithPayload(WithPayloadSelectorFactory.enable(true));
    for (float v : vector) {
      request.addVector(v);
    }
    if (threshold != null) {
      request.setScoreThreshold(threshold);
    }
    return client.searchAsync(request.build()).get().stream().map(p -> p.getId().getNum()).toList();
  }

  @Test
  void cosineScores_areOfNormalisedVectors_bestFirst_andTheThresholdCuts() throws Exception {
    List<ScoredPoint> hits =
        client
            .searchAsync(
                SearchPoints.newBuilder()
                    .setCollectionName("c")
                    .addVector(3)
                    .addVector(0)
                    .setLimit(3)
                    .build())
            .get();
    assertThat(hits).extracting(p -> p.getId().getNum()).containsExactly(1L, 3L, 2L);
    assertThat(hits.get(1).getScore()).isCloseTo((float) Math.sqrt(0.5), within(1e-6f));
    assertThat(hits.get(2).getScore()).isCloseTo(0f, within(1e-6f));
    assertThat(hits.get(0).getPayloadMap()).isEmpty(); // with_payload not asked for
    assertThat(search(Filter.getDefaultInstance(), new float[] {3, 0}, 0.5f))
        .containsExactly(1L, 3L);
  }

  @Test
  void filters_followQdrantSemantics() throws Exception {
    float[] q = {1, 1};
    assertThat(
            search(Filter.newBuilder().addMust(matchKeyword("meta.lang", "de")).build(), q, null))
        .containsExactly(2L);
    assertThat(
            search(
                Filter.newBuilder()
                    .addMust(matchKeywords("meta.lang", List.of("de", "en")))
                    .build(),
                q,
                null))
        .containsExactlyInAnyOrder(1L, 2L);
    assertThat(
            search(
                Filter.newBuilder().addMust(matchKeyword("meta.\"a.b\"", "2020")).build(), q, null))
        .containsExactlyInAnyOrder(1L, 3L);
    assertThat(
            search(Filter.newBuilder().addMust(matchKeyword("meta.a.b", "2020")).build(), q, null))
        .as("an unquoted dot is a path step")
        .isEmpty();
    assertThat(search(Filter.newBuilder().addMust(matchKeyword("tags", "fr-tag")).build(), q, null))
        .as("a list matches when any element does")
        .containsExactly(3L);
    assertThat(
            search(
                Filter.newBuilder()
                    .addShould(matchKeyword("meta.lang", "en"))
                    .addShould(range("size", Range.newBuilder().setGte(6).build()))
                    .addMustNot(matchKeyword("meta.lang", "fr"))
                    .build(),
                q,
                null))
        .containsExactly(1L);
    assertThat(
            search(
                Filter.newBuilder()
                    .addMust(
                        filter(
                            Filter.newBuilder()
                                .addShould(matchKeyword("meta.lang", "de"))
                                .addShould(matchKeyword("meta.lang", "fr"))
                                .build()))
                    .addMust(range("size", Range.newBuilder().setLt(7).build()))
                    .build(),
                q,
                null))
        .containsExactly(2L);
  }

  @Test
  void keywordIndexes_giveTheSameAnswers() throws Exception {
    Filter anyOf =
        Filter.newBuilder().addMust(matchKeywords("meta.lang", List.of("fr", "en"))).build();
    List<Long> before = search(anyOf, new float[] {1, 1}, null);
    client
        .createPayloadIndexAsync(
            "c",
            "meta.lang",
            io.qdrant.client.grpc.Collections.PayloadSchemaType.Keyword,
            null,
            true,
            null,
            null)
        .get();

    assertThat(search(anyOf, new float[] {1, 1}, null)).isEqualTo(before).hasSize(2);
    assertThat(qdrant.payloadIndexes("c")).containsEntry("meta.lang", PayloadSchemaType.Keyword);
    client.upsertAsync("c", List.of(point(1, new float[] {1, 0}, "de", "2020", 3))).get();
    assertThat(search(anyOf, new float[] {1, 1}, null)).containsExactly(3L);
  }

  @Test
  void upsert_overwritesById_andWaitSaysCompleted() throws Exception {
    var result =
        client
            .upsertAsync(
                io.qdrant.client.grpc.Points.UpsertPoints.newBuilder()
                    .setCollectionName("c")
                    .setWait(true)
                    .addPoints(point(2, new float[] {1, 0}, "es", "2022", 1))
                    .build())
            .get();
    assertThat(result.getStatus()).isEqualTo(UpdateStatus.Completed);
    assertThat(client.countAsync("c").get()).isEqualTo(3);
    assertThat(
            qdrant
                .points("c")
                .get("2")
                .get("meta")
                .getStructValue()
                .getFieldsOrThrow("lang")
                .getStringValue())
        .isEqualTo("es");
  }

  @Test
  void errors_haveQdrantsStatusCodes() {
    assertThatThrownBy(() -> client.countAsync("missing").get())
        .isInstanceOf(ExecutionException.class)
        .satisfies(
            e ->
                assertThat(Status.fromThrowable(e.getCause()).getCode())
                    .isEqualTo(Status.Code.NOT_FOUND));
    assertThatThrownBy(
            () ->
                client
                    .upsertAsync("c", List.of(point(9, new float[] {1, 0, 0}, "en", "x", 1)))
                    .get())
        .satisfies(
            e -> {
              Status status = Status.fromThrowable(e.getCause());
              assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
              assertThat(status.getDescription()).contains("expected dim: 2, got 3");
            });
    assertThatThrownBy(
            () ->
                client
                    .createCollectionAsync(
                        "c",
                        VectorParams.newBuilder().setSize(2).setDistance(Distance.Cosine).build())
                    .get())
        .satisfies(
            e ->
                assertThat(Status.fromThrowable(e.getCause()).getCode())
                    .isEqualTo(Status.Code.ALREADY_EXISTS));
  }

  @Test
  void injectedFailures_reachTheClient_thenCallsSucceedAgain() throws Exception {
    qdrant.failNextCalls(2, Status.Code.UNAVAILABLE);
    for (int i = 0; i < 2; i++) {
      assertThatThrownBy(() -> client.countAsync("c").get())
          .satisfies(
              e ->
                  assertThat(Status.fromThrowable(e.getCause()).getCode())
                      .isEqualTo(Status.Code.UNAVAILABLE));
    }
    assertThat(client.countAsync("c").get()).isEqualTo(3);
    assertThat(qdrant.calls("qdrant.Points/Count")).isEqualTo(3);
  }

  @Test
  void droppedConnection_failsTheUpsertInFlight_butTheUpsertLanded() throws Exception {
    qdrant.dropConnectionsDuringUpsert(1);

    assertThatThrownBy(
            () ->
                client.upsertAsync("c", List.of(point(4, new float[] {1, 2}, "it", "y", 1))).get())
        .satisfies(
            e ->
                assertThat(Status.fromThrowable(e.getCause()).getCode())
                    .isEqualTo(Status.Code.UNAVAILABLE));

    assertThat(qdrant.connectionDrops()).isEqualTo(1);
    assertThat(qdrant.points("c")).containsKey("4");
    assertThat(client.countAsync("c").get()).as("a new connection works").isEqualTo(4);
  }

  @Test
  void fieldTypes_areRecorded() throws Exception {
    client
        .createPayloadIndexAsync(
            io.qdrant.client.grpc.Points.CreateFieldIndexCollection.newBuilder()
                .setCollectionName("c")
                .setFieldName("size")
                .setFieldType(FieldType.FieldTypeInteger)
                .build(),
            null)
        .get();
    assertThat(qdrant.payloadIndexes("c")).containsEntry("size", PayloadSchemaType.Integer);
  }

  @Test
  void upsertWithUpdateFilter_replacesOnlyMatchingPoints_keepsTheOthers_andInsertsNewOnes()
      throws Exception {
    // Points 1 (size 3), 2 (size 5), 3 (size 7); the filter lets only size < 6 be replaced.
    client
        .upsertAsync(
            UpsertPoints.newBuilder()
                .setCollectionName("c")
                .setWait(true)
                .addPoints(point(1, new float[] {1, 1}, "nl", "2030", 100))
                .addPoints(point(3, new float[] {1, 1}, "nl", "2030", 100))
                .addPoints(point(4, new float[] {1, 1}, "nl", "2030", 100))
                .setUpdateFilter(
                    Filter.newBuilder()
                        .addMustNot(range("size", Range.newBuilder().setGte(6).build())))
                .build())
        .get();

    Map<String, Map<String, Value>> points = qdrant.points("c");
    assertThat(points.get("1").get("size").getIntegerValue())
        .as("matched: replaced")
        .isEqualTo(100);
    assertThat(points.get("3").get("size").getIntegerValue()).as("not matched: kept").isEqualTo(7);
    assertThat(points.get("4").get("size").getIntegerValue()).as("new: inserted").isEqualTo(100);
    assertThat(points.get("2").get("size").getIntegerValue()).as("not in the request").isEqualTo(5);
  }

  @Test
  void upsertModes_insertOnlyKeepsExistingPoints_updateOnlyInsertsNothing() throws Exception {
    client
        .upsertAsync(
            UpsertPoints.newBuilder()
                .setCollectionName("c")
                .addPoints(point(1, new float[] {1, 1}, "nl", "2030", 100))
                .addPoints(point(5, new float[] {1, 1}, "nl", "2030", 100))
                .setUpdateMode(UpdateMode.InsertOnly)
                .build())
        .get();
    client
        .upsertAsync(
            UpsertPoints.newBuilder()
                .setCollectionName("c")
                .addPoints(point(2, new float[] {1, 1}, "nl", "2030", 200))
                .addPoints(point(6, new float[] {1, 1}, "nl", "2030", 200))
                .setUpdateMode(UpdateMode.UpdateOnly)
                .build())
        .get();

    Map<String, Map<String, Value>> points = qdrant.points("c");
    assertThat(points.get("1").get("size").getIntegerValue()).isEqualTo(3);
    assertThat(points.get("5").get("size").getIntegerValue()).isEqualTo(100);
    assertThat(points.get("2").get("size").getIntegerValue()).isEqualTo(200);
    assertThat(points).doesNotContainKey("6");
  }

  @Test
  void scroll_pagesThroughMatchingPointsInIdOrder_withTheNextOffset() throws Exception {
    List<PointStruct> more = new java.util.ArrayList<>();
    for (long n = 10; n < 20; n++) {
      more.add(point(n, new float[] {1, 0}, n % 2 == 0 ? "en" : "de", "2020", n));
    }
    client.upsertAsync("c", more).get();
    Filter english = Filter.newBuilder().addMust(matchKeyword("meta.lang", "en")).build();

    List<Long> seen = new java.util.ArrayList<>();
    io.qdrant.client.grpc.Common.PointId offset = null;
    int pages = 0;
    do {
      ScrollPoints.Builder request =
          ScrollPoints.newBuilder()
              .setCollectionName("c")
              .setFilter(english)
              .setLimit(2)
              .setWithPayload(WithPayloadSelectorFactory.include(List.of("size")));
      if (offset != null) {
        request.setOffset(offset);
      }
      ScrollResponse page = client.scrollAsync(request.build()).get();
      for (var p : page.getResultList()) {
        seen.add(p.getId().getNum());
        assertThat(p.getPayloadMap()).containsOnlyKeys("size");
      }
      offset = page.hasNextPageOffset() ? page.getNextPageOffset() : null;
      pages++;
    } while (offset != null && pages < 10);

    assertThat(seen).containsExactly(1L, 10L, 12L, 14L, 16L, 18L);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void beforeEachUpdate_runsBeforeUpsertsAndDeletesAreApplied() throws Exception {
    List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    qdrant.beforeEachUpdate(rpc -> seen.add(rpc + ":" + qdrant.points("c").size()));
    client.upsertAsync("c", List.of(point(9, new float[] {1, 0}, "en", "2020", 1))).get();
    client.deleteAsync("c", List.of(id(9))).get();
    qdrant.beforeEachUpdate(null);
    client.deleteAsync("c", List.of(id(1))).get();

    assertThat(seen).containsExactly("Upsert:3", "Delete:4");
  }
}
