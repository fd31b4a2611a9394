package io.docpipe.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class TracingOverheadBenchmarkTest {

  @Test
  void receiver_answers200ToPostedTraces_andCountsThemWithoutKeepingThem() throws Exception {
    try (var receiver = TracingOverheadBenchmark.DiscardingOtlpReceiver.start();
        HttpClient client = HttpClient.newHttpClient()) {
      assertThat(receiver.url()).startsWith("http://127.0.0.1:");
      HttpResponse<Void> posted =
          client.send(
              HttpRequest.newBuilder(URI.create(receiver.url() + "/v1/traces"))
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1234]))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      HttpResponse<Void> got =
          client.send(
              HttpRequest.newBuilder(URI.create(receiver.url() + "/v1/traces")).GET().build(),
              HttpResponse.BodyHandlers.discarding());

      assertThat(posted.statusCode()).isEqualTo(200);
      assertThat(got.statusCode()).isEqualTo(405);
      assertThat(receiver.requests()).isEqualTo(1);
      assertThat(receiver.bytes()).isEqualTo(1234);
    }
  }

  @Test
  void childrenCpu_isCutimePlusCstime_evenWhenTheCommandNameHoldsSpacesAndParentheses() {
    // pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime
    // stime cutime cstime ...
    String stat = "4242 (java (main) x) S 1 4242 4242 0 -1 4194560 10 20 0 0 500 60 1234 66 20 0";

    assertThat(TracingOverheadBenchmark.ChildCpu.childrenCpuNanos(stat))
        .isEqualTo((1234 + 66) * 10_000_000L);
  }

  @Test
  void percentLoss_isPositiveWhenTheSecondValueIsLower() {
    assertThat(TracingOverheadBenchmark.percentLoss(100, 97)).isEqualTo(3.0);
    assertThat(TracingOverheadBenchmark.percentLoss(100, 103)).isEqualTo(-3.0);
  }
}
