package io.docpipe.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryHintsTest {

  @Test
  void goDurations() {
    assertThat(RetryHints.goDuration("1s")).contains(Duration.ofSeconds(1));
    assertThat(RetryHints.goDuration("6m0s")).contains(Duration.ofMinutes(6));
    assertThat(RetryHints.goDuration("20ms")).contains(Duration.ofMillis(20));
    assertThat(RetryHints.goDuration("1m2.5s")).contains(Duration.ofMillis(62_500));
    assertThat(RetryHints.goDuration("2h0m0s")).contains(Duration.ofHours(1));
    assertThat(RetryHints.goDuration("0.5s")).contains(Duration.ofMillis(500));
    assertThat(RetryHints.goDuration("")).isEmpty();
    assertThat(RetryHints.goDuration("soon")).isEmpty();
    assertThat(RetryHints.goDuration("5x")).isEmpty();
    assertThat(RetryHints.goDuration("1s junk")).isEmpty();
  }

  @Test
  void retryAfter_inSeconds_andTheLongestHintWins() {
    assertThat(RetryHints.from(headers(Map.of("Retry-After", "3"))))
        .contains(Duration.ofSeconds(3));
    assertThat(RetryHints.from(headers(Map.of("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"))))
        .isEmpty();
    assertThat(
            RetryHints.from(
                headers(Map.of("retry-after-ms", "1500", "x-ratelimit-reset-tokens", "200ms"))))
        .contains(Duration.ofMillis(1500));
    assertThat(RetryHints.from(headers(Map.of()))).isEmpty();
    assertThat(RetryHints.from(headers(Map.of("Retry-After", "-1")))).isEmpty();
  }

  private static HttpHeaders headers(Map<String, String> values) {
    return HttpHeaders.of(
        values.entrySet().stream()
            .collect(
                java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
        (a, b) -> true);
  }
}
