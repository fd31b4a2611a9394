package io.docpipe.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.docpipe.core.port.out.EmbeddingException;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OpenAiEmbeddingModelTest {

  private static final int DIM = 16;
  private static final String KEY = "sk-canary-7f3a9c0d2e";

  private FakeOpenAi server;
  private TestTime time;
  private final List<OpenAiEmbeddingModel> models = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = new FakeOpenAi(DIM);
    time = new TestTime();
  }

  @AfterEach
  void stop() {
    models.forEach(OpenAiEmbeddingModel::close);
    server.close();
  }

  private OpenAiSettings settings() {
    return OpenAiSettings.defaults(server.baseUrl(), "text-embedding-3-small", DIM, KEY)
        .withRequestTimeout(Duration.ofSeconds(10));
  }

  private OpenAiEmbeddingModel model(OpenAiSettings settings) {
    OpenAiEmbeddingModel model =
        new OpenAiEmbeddingModel(
            settings,
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(),
            time,
            time,
            new Random(42));
    models.add(model);
    return model;
  }

  private OpenAiEmbeddingModel model() {
    return model(settings());
  }

  private static List<String> texts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "text number " + i).toList();
  }

  private static double norm(float[] v) {
    double sum = 0;
    for (float x : v) {
      sum += (double) x * x;
    }
    return Math.sqrt(sum);
  }

  private static float[] expected(String text) {
    float[] raw = FakeOpenAi.vector(text, DIM);
    double norm = norm(raw);
    float[] unit = new float[raw.length];
    for (int i = 0; i < raw.length; i++) {
      unit[i] = (float) (raw[i] / norm);
    }
    return unit;
  }

  private static void assertNoKey(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertThat(String.valueOf(t.getMessage())).doesNotContain("sk-canary").doesNotContain(KEY);
      assertThat(t.toString()).doesNotContain("sk-canary");
    }
  }

  // ---- success --------------------------------------------------------------------------------

  @Test
  void embeds_inInputOrder_unitLength_andSendsTheRequestFields() {
    List<String> texts = List.of("alpha beta", "gamma", "delta epsilon zeta");
    List<float[]> vectors = model().embed(texts);

    assertThat(vectors).hasSize(3);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(norm(vectors.get(i))).isCloseTo(1.0, within(1e-6));
      assertThat(vectors.get(i)).containsExactly(expected(texts.get(i)), within(1e-6f));
    }
    assertThat(server.requests()).hasSize(1);
    FakeOpenAi.Request request = server.requests().get(0);
    assertThat(request.inputs()).isEqualTo(texts);
    assertThat(request.model()).isEqualTo("text-embedding-3-small");
    assertThat(request.body().path("dimensions").asInt()).isEqualTo(DIM);
    assertThat(request.body().path("encoding_format").asText()).isEqualTo("float");
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void sendsTheBearerHeader() {
    model().embed(List.of("hello"));
    assertThat(server.requests())
        .singleElement()
        .extracting(FakeOpenAi.Request::authorization)
        .isEqualTo("Bearer " + KEY);
  }

  @Test
  void otherModels_getNoDimensionsField() {
    model(
            OpenAiSettings.defaults(server.baseUrl(), "nomic-embed-text", DIM, "")
                .withRequestTimeout(Duration.ofSeconds(10)))
        .embed(List.of("hello"));
    FakeOpenAi.Request request = server.requests().get(0);
    assertThat(request.body().has("dimensions")).isFalse();
    assertThat(request.authorization()).isEqualTo("null");
  }

  @Test
  void modelId_namesModelAndDimension() {
    assertThat(model().modelId()).isEqualTo("openai:text-embedding-3-small:" + DIM);
    // What a store reads before the model is built is the built model's id.
    assertThat(settings().modelId()).isEqualTo(model().modelId());
  }

  @Test
  void countTokens_isUtf8Bytes() {
    OpenAiEmbeddingModel model = model();
    assertThat(model.countTokens("")).isZero();
    assertThat(model.countTokens("hello")).isEqualTo(5);
    assertThat(model.countTokens("café")).isEqualTo(5);
    assertThat(model.countTokens("東京")).isEqualTo(6);
    assertThat(model.countTokens("😀")).isEqualTo(4);
    // A bound that must hold for cl100k: "1.2.3.4" is 7 tokens there.
    assertThat(model.countTokens("1.2.3.4")).isGreaterThanOrEqualTo(7);
  }

  // ---- packing --------------------------------------------------------------------------------

  @Test
  void packs_byInputCount() {
    OpenAiEmbeddingModel model = model(settings().withRequestLimits(3, 300_000));
    List<String> texts = texts(7);
    List<float[]> vectors = model.embed(texts);

    assertThat(server.requests()).extracting(r -> r.inputs().size()).containsExactly(3, 3, 1);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(vectors.get(i)).containsExactly(expected(texts.get(i)), within(1e-6f));
    }
  }

  @Test
  void packs_byTokens() {
    // Each text is 10 bytes; 25 tokens per request hold two of them.
    OpenAiEmbeddingModel model =
        model(settings().withMaxInputTokens(20).withRequestLimits(100, 25));
    List<String> texts = List.of("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc", "dddddddddd", "ee");
    List<float[]> vectors = model.embed(texts);

    assertThat(server.requests()).extracting(r -> r.inputs().size()).containsExactly(2, 3);
    assertThat(server.requests().get(1).inputs()).containsExactly("cccccccccc", "dddddddddd", "ee");
    assertThat(vectors).hasSize(5);
  }

  @Test
  void inputAboveTheLimit_failsNamingItsIndex_withoutARequest() {
    OpenAiEmbeddingModel model = model(settings().withMaxInputTokens(8));
    EmbeddingException e =
        catchThrowableOfType(
            EmbeddingException.class, () -> model.embed(List.of("short", "far too long a text")));
    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).contains("input 1");
    assertThat(server.requests()).isEmpty();
  }

  @Test
  void emptyList_sendsNothing() {
    assertThat(model().embed(List.of())).isEmpty();
    assertThat(server.requests()).isEmpty();
  }

  // ---- retries --------------------------------------------------------------------------------

  @Test
  void status429_withRetryAfter_waitsTheRequestedTime() {
    server.then(
        FakeOpenAi.error(429, "rate_limit_exceeded", "slow down", Map.of("Retry-After", "2")));
    assertThat(model().embed(List.of("hello"))).hasSize(1);
    assertThat(server.requests()).hasSize(2);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void status429_withRateLimitResetHeaders_waitsTheLongest() {
    server.then(
        FakeOpenAi.error(
            429,
            "rate_limit_exceeded",
            "slow down",
            Map.of("x-ratelimit-reset-requests", "20ms", "x-ratelimit-reset-tokens", "1m6.5s")));
    model().embed(List.of("hello"));
    assertThat(time.sleeps()).containsExactly(Duration.ofMillis(66_500));
  }

  @Test
  void status500_thenSuccess_retriesWithJitteredBackoff() {
    server.then(FakeOpenAi.error(500, "server_error", "oops", Map.of()));
    List<float[]> vectors = model().embed(List.of("hello"));
    assertThat(vectors.get(0)).containsExactly(expected("hello"), within(1e-6f));
    assertThat(server.requests()).hasSize(2);
    assertThat(time.sleeps())
        .singleElement()
        .satisfies(d -> assertThat(d).isBetween(Duration.ZERO, OpenAiEmbeddingModel.BASE_BACKOFF));
  }

  @Test
  void slowResponse_pastTheTimeout_isRetried() {
    server.then(FakeOpenAi.hang());
    // Long enough that the healthy second answer arrives in time on a loaded machine; the hung
    // first request still times out.
    OpenAiEmbeddingModel model = model(settings().withRequestTimeout(Duration.ofSeconds(2)));
    assertThat(model.embed(List.of("hello"))).hasSize(1);
    assertThat(server.requests()).hasSize(2);
    assertThat(time.sleeps()).hasSize(1);
  }

  @Test
  void truncatedJson_isRetried() {
    server.then(FakeOpenAi.truncated());
    assertThat(model().embed(List.of("a", "b"))).hasSize(2);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void truncatedJson_withoutRetries_isARetriableError() {
    server.then(FakeOpenAi.truncated());
    OpenAiEmbeddingModel model = model(settings().withRetries(0, Duration.ofMinutes(1)));
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model.embed(List.of("a")));
    assertThat(e.retriable()).isTrue();
    assertThat(e.getMessage()).contains("malformed JSON");
  }

  @Test
  void wrongVectorCount_isANonRetriableError() {
    server.then(FakeOpenAi.oneVectorMissing());
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model().embed(List.of("a", "b")));
    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).contains("1 vectors for 2 inputs");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void indexesThatAreNotAPermutation_areANonRetriableError() {
    server.then(FakeOpenAi.duplicateIndex());
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model().embed(List.of("a", "b")));
    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).contains("permutation");
  }

  @Test
  void wrongDimension_isANonRetriableError() {
    server.then(FakeOpenAi.wrongDimension());
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model().embed(List.of("a")));
    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).contains("17 dimensions, expected 16");
  }

  @Test
  void insufficientQuota_isNotRetried() {
    server.then(
        FakeOpenAi.error(429, "insufficient_quota", "You exceeded your current quota", Map.of()));
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model().embed(List.of("a")));
    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).contains("insufficient_quota");
    assertThat(server.requests()).hasSize(1);
    assertThat(time.sleeps()).isEmpty();
  }

  @Test
  void status400_isNotRetried() {
    server.then(FakeOpenAi.error(400, "invalid_request_error", "bad input", Map.of()));
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model().embed(List.of("a")));
    assertThat(e.retriable()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 400").contains("bad input");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void retriesExhausted_giveARetriableErrorWithTheLastStatus() {
    server.then(10, FakeOpenAi.error(503, "overloaded", "busy", Map.of()));
    OpenAiEmbeddingModel model = model(settings().withRetries(3, Duration.ofMinutes(2)));
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model.embed(List.of("a")));
    assertThat(e.retriable()).isTrue();
    assertThat(e.getMessage()).contains("4 attempts").contains("HTTP 503");
    assertThat(server.requests()).hasSize(4);
    assertThat(time.sleeps()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      assertThat(time.sleeps().get(i))
          .isLessThanOrEqualTo(OpenAiEmbeddingModel.BASE_BACKOFF.multipliedBy(1L << i));
    }
  }

  @Test
  void retryBudget_stopsBeforeWaitingPastIt() {
    server.then(
        10, FakeOpenAi.error(429, "rate_limit_exceeded", "wait", Map.of("Retry-After", "50")));
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model().embed(List.of("a")));
    assertThat(e.retriable()).isTrue();
    assertThat(e.getMessage()).contains("HTTP 429").contains("retry budget");
    // 2 minutes allow two 50-second waits, not a third.
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(50), Duration.ofSeconds(50));
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void connectionRefused_isRetriedThenRetriable() {
    server.close();
    OpenAiEmbeddingModel model = model(settings().withRetries(2, Duration.ofMinutes(1)));
    EmbeddingException e =
        catchThrowableOfType(EmbeddingException.class, () -> model.embed(List.of("a")));
    assertThat(e.retriable()).isTrue();
    assertThat(e.getMessage()).contains("connection error");
    assertThat(e.getCause()).isInstanceOf(IOException.class);
    assertThat(time.sleeps()).hasSize(2);
  }

  // ---- rate limiting --------------------------------------------------------------------------

  @Test
  void rateLimiter_spacesRequestsBeyondTheMinuteAllowance() {
    OpenAiEmbeddingModel model =
        model(settings().withRequestLimits(1, 300_000).withRateLimits(2, 1_000_000));
    model.embed(texts(3));
    assertThat(server.requests()).hasSize(3);
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30));
  }

  @Test
  void rateLimiter_countsTokens() {
    // 10 bytes per text, 20 tokens per minute: the third text waits for 10 tokens = 30 s.
    OpenAiEmbeddingModel model =
        model(settings().withMaxInputTokens(10).withRequestLimits(1, 10).withRateLimits(1_000, 20));
    model.embed(List.of("aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"));
    assertThat(time.sleeps()).containsExactly(Duration.ofSeconds(30));
  }

  // ---- secrets --------------------------------------------------------------------------------

  @Test
  void theKey_appearsInNoMessageOrToString() {
    server
        .then(
            FakeOpenAi.error(
                401,
                "invalid_api_key",
                "Incorrect API key provided: " + KEY + ". Find your key at platform.openai.com",
                Map.of()))
        .then(FakeOpenAi.error(429, "insufficient_quota", "quota for " + KEY, Map.of()))
        .then(10, FakeOpenAi.error(500, "server_error", "key " + KEY, Map.of()));
    OpenAiEmbeddingModel model = model(settings().withRetries(1, Duration.ofMinutes(1)));
    List<Throwable> thrown = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      thrown.add(catchThrowableOfType(EmbeddingException.class, () -> model.embed(List.of("a"))));
    }
    thrown.add(
        catchThrowableOfType(
            EmbeddingException.class, () -> model.embed(List.of("x".repeat(9_000)))));
    assertThat(thrown).hasSize(4).doesNotContainNull();
    assertThat(thrown.get(0).getMessage()).contains("HTTP 401").contains("<redacted>");
    thrown.forEach(OpenAiEmbeddingModelTest::assertNoKey);
    assertThat(model.toString()).doesNotContain("sk-canary");
    assertThat(settings().toString()).doesNotContain("sk-canary").contains("<redacted>");
  }

  @Test
  void settings_rejectNonsense() {
    assertThatThrownBy(() -> settings().withRequestLimits(0, 300_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> settings().withRequestLimits(10, 100))
        .hasMessageContaining("maxTokensPerRequest");
    assertThatThrownBy(() -> settings().withRateLimits(10, 1000))
        .hasMessageContaining("tokensPerMinute");
    assertThatThrownBy(() -> settings().withRetries(-1, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () -> OpenAiSettings.defaults(java.net.URI.create("ftp://example.com"), "m", 4, KEY))
        .hasMessageContaining("http");
    assertThatThrownBy(() -> OpenAiSettings.defaults(server.baseUrl(), "m", 4, KEY + " \n"))
        .isInstanceOf(IllegalArgumentException.class)
        .satisfies(OpenAiEmbeddingModelTest::assertNoKey);
  }

  @Test
  void plainHttpBaseUrlWithAnApiKey_isRefused_unlessLoopbackOrExplicitlyAllowed() {
    java.net.URI remote = java.net.URI.create("http://embeddings.example.com/v1");

    assertThatThrownBy(() -> OpenAiSettings.defaults(remote, "m", 4, KEY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("plain http")
        .hasMessageContaining("DOCPIPE_OPENAI_ALLOW_PLAIN_HTTP")
        .satisfies(OpenAiEmbeddingModelTest::assertNoKey);
    assertThat(OpenAiSettings.defaults(remote, "m", 4, KEY, true).allowPlainHttp()).isTrue();
    assertThat(OpenAiSettings.defaults(remote, "m", 4, "").apiKey()).isEmpty();
    for (String local : List.of("http://127.0.0.1:9/v1", "http://localhost:9", "http://[::1]:9")) {
      assertThat(OpenAiSettings.defaults(java.net.URI.create(local), "m", 4, KEY).baseUrl())
          .hasToString(local);
    }
    assertThat(
            OpenAiSettings.defaults(
                    java.net.URI.create("https://embeddings.example.com"), "m", 4, KEY)
                .allowPlainHttp())
        .isFalse();
  }
}
