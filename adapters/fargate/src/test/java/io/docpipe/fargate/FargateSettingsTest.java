package io.docpipe.fargate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docpipe.wiring.ConfigException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FargateSettingsTest {

  private static final String TOKEN = "0123456789abcdef-token";

  @Test
  void defaults_needOnlyATokenOrAuthNone() {
    FargateSettings s = FargateSettings.fromEnvironment(Map.of("DOCPIPE_API_TOKENS", TOKEN));
    assertThat(s.port()).isEqualTo(8080);
    assertThat(s.drainBudget()).isLessThan(FargateSettings.ECS_DEFAULT_STOP_TIMEOUT);
    assertThat(s.tokens())
        .singleElement()
        .satisfies(t -> assertThat(t.scope()).isEqualTo(FargateSettings.Scope.WRITE));
    assertThat(FargateSettings.fromEnvironment(Map.of("DOCPIPE_API_AUTH", "none")).authRequired())
        .isFalse();
  }

  @Test
  void everyProblemIsReportedAtOnce_andNoSecretIsEchoed() {
    assertThatThrownBy(
            () ->
                FargateSettings.fromEnvironment(
                    Map.of(
                        "DOCPIPE_HTTP_PORT", "70000",
                        "DOCPIPE_HTTP_REQUEST_TIMEOUT", "soon",
                        "DOCPIPE_HTTP_DRAIN_BUDGET", "200s",
                        "DOCPIPE_HTTP_QUEUE_CAPACITY", "0",
                        "DOCPIPE_API_TOKENS", "short-secret,ok-token-0123456789:admin")))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e -> {
              ConfigException c = (ConfigException) e;
              assertThat(c.problems()).hasSize(6);
              assertThat(c.getMessage())
                  .contains(
                      "DOCPIPE_HTTP_PORT",
                      "DOCPIPE_HTTP_REQUEST_TIMEOUT",
                      "DOCPIPE_HTTP_DRAIN_BUDGET",
                      "DOCPIPE_HTTP_QUEUE_CAPACITY",
                      "DOCPIPE_API_TOKENS entry 1",
                      "DOCPIPE_API_TOKENS entry 2")
                  .doesNotContain("short-secret")
                  .doesNotContain("ok-token");
            });
  }

  @Test
  void maxKBelowTheDefaultK_isRefused_soASearchWithoutKStaysValid() {
    assertThatThrownBy(
            () ->
                FargateSettings.fromEnvironment(
                    Map.of("DOCPIPE_API_TOKENS", TOKEN, "DOCPIPE_HTTP_MAX_K", "5")))
        .hasMessageContaining("DOCPIPE_HTTP_MAX_K='5' must be a whole number from 10 to 1000");
  }

  @Test
  void bearerIsTheDefault_soNoTokensIsAnError() {
    assertThatThrownBy(() -> FargateSettings.fromEnvironment(Map.of()))
        .hasMessageContaining("DOCPIPE_API_TOKENS must name at least one token");
  }

  @Test
  void durationsAndScopesParse() {
    FargateSettings s =
        FargateSettings.fromEnvironment(
            Map.of(
                "DOCPIPE_HTTP_REQUEST_TIMEOUT", "1500ms",
                "DOCPIPE_HTTP_DRAIN_BUDGET", "PT20S",
                "DOCPIPE_API_TOKENS", TOKEN + ":read, other-token-0123456789:write"));
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(s.drainBudget()).isEqualTo(Duration.ofSeconds(20));
    assertThat(s.tokens())
        .extracting(FargateSettings.ApiToken::scope)
        .containsExactly(FargateSettings.Scope.READ, FargateSettings.Scope.WRITE);
    assertThat(s.toString()).doesNotContain(TOKEN);
  }

  @Test
  void inFlightBytesBelowOneLargestBody_isRefused_andTheDefaultAdmitsOne() {
    FargateSettings s = FargateSettings.fromEnvironment(Map.of("DOCPIPE_API_TOKENS", TOKEN));
    assertThat(s.maxConcurrentRequests()).isEqualTo(64);
    assertThat(s.maxInFlightBytes()).isGreaterThanOrEqualTo(s.limits().maxBodyBytes());
    assertThatThrownBy(
            () ->
                FargateSettings.fromEnvironment(
                    Map.of(
                        "DOCPIPE_API_TOKENS", TOKEN, "DOCPIPE_HTTP_MAX_IN_FLIGHT_BYTES", "4096")))
        .hasMessageContaining(
            "DOCPIPE_HTTP_MAX_IN_FLIGHT_BYTES=4096 must be at least DOCPIPE_HTTP_MAX_BODY_BYTES");
  }
}
