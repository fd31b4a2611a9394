package io.docpipe.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.docpipe.core.port.out.EmbeddingException;
import io.docpipe.core.port.out.EmbeddingModel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * An {@link EmbeddingModel} over an OpenAI-compatible {@code POST {baseUrl}/embeddings} endpoint.
 *
 * <p>{@link #embed(List)} packs the texts into requests of at most {@link
 * OpenAiSettings#maxInputsPerRequest()} inputs and {@link OpenAiSettings#maxTokensPerRequest()}
 * counted tokens, sends them one after another through a client-side rate limiter (requests and
 * tokens per minute), and retries each request on 429, 5xx, timeouts, connection errors and
 * malformed JSON, with exponential backoff and full jitter, or exactly as long as the server asks
 * ({@code Retry-After}, {@code x-ratelimit-reset-*}). It gives up with a retriable {@link
 * EmbeddingException} once {@link OpenAiSettings#maxRetries()} retries or {@link
 * OpenAiSettings#maxTotalRetryTime()} are spent. Quota exhaustion ({@code insufficient_quota}),
 * other 4xx answers and responses with the wrong number, order or length of vectors fail at once
 * with a non-retriable one. Vectors are renormalised to unit length.
 *
 * <p>The API key is sent only in the {@code Authorization} header; it appears in no exception
 * message, log line or {@code toString()}. Thread-safe; {@link #close()} releases the HTTP client.
 */
public final class OpenAiEmbeddingModel implements EmbeddingModel, AutoCloseable {

  private static final System.Logger LOG = System.getLogger(OpenAiEmbeddingModel.class.getName());

  /** First backoff ceiling; doubles per retry up to {@link #MAX_BACKOFF}. */
  static final Duration BASE_BACKOFF = Duration.ofMillis(500);

  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** Longest piece of a server's error body quoted in an exception message. */
  private static final int MAX_QUOTED = 200;

  /** Things that look like OpenAI keys; servers echo (parts of) wrong keys in error messages. */
  private static final Pattern KEY_LIKE = Pattern.compile("sk-[A-Za-z0-9_*.\\-]+");

  private static final ObjectMapper JSON = new ObjectMapper();

  private final OpenAiSettings settings;
  private final URI endpoint;
  private final HttpClient http;
  private final Clock clock;
  private final Sleeper sleeper;
  private final RandomGenerator random;
  private final RateLimiter limiter;
  private final boolean sendDimensions;

  OpenAiEmbeddingModel(
      OpenAiSettings settings,
      HttpClient http,
      Clock clock,
      Sleeper sleeper,
      RandomGenerator random) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.http = http;
    this.clock = clock;
    this.sleeper = sleeper;
    this.random = random;
    this.limiter =
        new RateLimiter(settings.requestsPerMinute(), settings.tokensPerMinute(), clock, sleeper);
    String base = settings.baseUrl().toString();
    this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "embeddings");
    // Only the text-embedding-3 family accepts "dimensions"; others (ada-002, most local servers)
    // reject it, and their fixed size is checked against the response instead.
    this.sendDimensions = settings.model().startsWith("text-embedding-3");
  }

  /** A model with its own HTTP client, the system clock and real sleeps. */
  public static OpenAiEmbeddingModel create(OpenAiSettings settings) {
    HttpClient http =
        PlainHttp.forEndpoint(
                HttpClient.newBuilder()
                    .connectTimeout(settings.requestTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER),
                settings.baseUrl())
            .build();
    return new OpenAiEmbeddingModel(
        settings, http, Clock.systemUTC(), Sleeper.SYSTEM, new Random());
  }

  /** {@code openai:<model>:<dimension>}. */
  @Override
  public String modelId() {
    return settings.modelId();
  }

  @Override
  public int dimension() {
    return settings.dimension();
  }

  @Override
  public int maxInputTokens() {
    return settings.maxInputTokens();
  }

  /**
   * The UTF-8 length of {@code text} in bytes: a safe upper bound on its cl100k (and o200k) token
   * count, for English and every other language. Both are byte-level BPE vocabularies, so every
   * token covers at least one byte. Cheaper heuristics are not safe: {@code bytes / 3} or a word
   * count under-count text such as {@code "1.2.3.4"} or {@code "a , b , c"}, where the
   * pre-tokenizer makes a token of almost every byte. The price is a factor of about four on
   * ordinary English (chunks smaller than the model could take, client-side token rate limits
   * reached early), never a rejected request.
   */
  @Override
  public int countTokens(String text) {
    int bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes += 1;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  @Override
  public List<float[]> embed(List<String> texts) {
    if (texts.isEmpty()) {
      return List.of();
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    for (Batch batch : pack(texts)) {
      vectors.addAll(embedBatch(texts.subList(batch.from(), batch.to()), batch.tokens()));
    }
    return List.copyOf(vectors);
  }

  /** Closes the HTTP client, waiting for requests in flight. */
  @Override
  public void close() {
    http.close();
  }

  @Override
  public String toString() {
    return "OpenAiEmbeddingModel[" + modelId() + " at " + endpoint + "]";
  }

  // ---- packing --------------------------------------------------------------------------------

  /** Texts {@code [from, to)} of the input, {@code tokens} counted tokens together. */
  record Batch(int from, int to, int tokens) {}

  List<Batch> pack(List<String> texts) {
    List<Batch> batches = new ArrayList<>();
    int from = 0;
    int tokens = 0;
    for (int i = 0; i < texts.size(); i++) {
      String text = Objects.requireNonNull(texts.get(i), "text");
      int count = countTokens(text);
      if (count > settings.maxInputTokens()) {
        throw new EmbeddingException(
            "input "
                + i
                + " has "
                + count
                + " tokens, above the model's limit of "
                + settings.maxInputTokens(),
            false);
      }
      if (i > from
          && (i - from == settings.maxInputsPerRequest()
              || tokens + count > settings.maxTokensPerRequest())) {
        batches.add(new Batch(from, i, tokens));
        from = i;
        tokens = 0;
      }
      tokens += count;
    }
    batches.add(new Batch(from, texts.size(), tokens));
    return batches;
  }

  // ---- one request with retries ---------------------------------------------------------------

  private List<float[]> embedBatch(List<String> inputs, int tokens) {
    byte[] body = requestBody(inputs);
    Instant start = clock.instant();
    for (int attempt = 0; ; attempt++) {
      final int retry = attempt + 1;
      final Outcome outcome;
      try {
        limiter.acquire(tokens);
        outcome = attemptOnce(body, inputs.size());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddingException("interrupted while embedding", true, e);
      }
      List<float[]> vectors = outcome.vectors();
      if (vectors != null) {
        return vectors;
      }
      if (attempt >= settings.maxRetries()) {
        throw givingUp(
            "gave up after " + retry + " attempts; last: " + outcome.describe(), outcome);
      }
      Duration delay = outcome.hint().isPresent() ? outcome.hint().get() : backoff(attempt);
      Duration spent = Duration.between(start, clock.instant());
      if (spent.plus(delay).compareTo(settings.maxTotalRetryTime()) > 0) {
        throw givingUp(
            "gave up after "
                + retry
                + " attempts and "
                + spent.toMillis()
                + " ms (retry budget "
                + settings.maxTotalRetryTime().toMillis()
                + " ms); last: "
                + outcome.describe(),
            outcome);
      }
      LOG.log(
          System.Logger.Level.DEBUG,
          () ->
              "embeddings request failed ("
                  + outcome.describe()
                  + "), retry "
                  + retry
                  + " in "
                  + delay.toMillis()
                  + " ms");
      try {
        sleeper.sleep(delay);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new EmbeddingException("interrupted while waiting to retry", true, e);
      }
    }
  }

  /**
   * The outcome of one attempt: vectors, or a retriable failure with the server's wait hint.
   * Non-retriable failures are thrown.
   */
  private record Outcome(
      @Nullable List<float[]> vectors,
      String status,
      Optional<Duration> hint,
      @Nullable Throwable cause) {

    static Outcome failed(String status, Optional<Duration> hint) {
      return new Outcome(null, status, hint, null);
    }

    String describe() {
      return status;
    }
  }

  private Outcome attemptOnce(byte[] body, int inputCount) throws InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(settings.requestTimeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (!settings.apiKey().isEmpty()) {
      request.header("Authorization", "Bearer " + settings.apiKey());
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (HttpTimeoutException e) {
      return new Outcome(null, "timeout after " + settings.requestTimeout(), Optional.empty(), e);
    } catch (IOException e) {
      return new Outcome(
          null, "connection error (" + e.getClass().getSimpleName() + ")", Optional.empty(), e);
    }
    int status = response.statusCode();
    if (status == 200) {
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (JsonProcessingException e) {
        return Outcome.failed("HTTP 200 with malformed JSON", Optional.empty());
      } catch (IOException e) {
        return Outcome.failed("HTTP 200 with unreadable body", Optional.empty());
      }
      if (json == null || !json.path("data").isArray()) {
        return Outcome.failed("HTTP 200 without a data array", Optional.empty());
      }
      return new Outcome(
          parseVectors((ArrayNode) json.get("data"), inputCount),
          "HTTP 200",
          Optional.empty(),
          null);
    }
    String error = errorSummary(response.body());
    if (status == 429 && error.contains("insufficient_quota")) {
      throw new EmbeddingException("HTTP 429 insufficient_quota: " + error, false);
    }
    if (status == 429 || status == 408 || status >= 500) {
      return Outcome.failed("HTTP " + status + " " + error, RetryHints.from(response.headers()));
    }
    if (status == 401 || status == 403) {
      throw new CredentialsRefused("HTTP " + status + " " + error);
    }
    throw new EmbeddingException("HTTP " + status + " " + error, false);
  }

  /**
   * Whether {@code failure} (or a cause of it) is this adapter's report of the API refusing its key
   * (HTTP 401 or 403): a rotated key read again may cure it, which retrying the same key cannot.
   */
  public static boolean refusedCredentials(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof CredentialsRefused) {
        return true;
      }
    }
    return false;
  }

  /** The API refused the key (HTTP 401 or 403); not retriable with the same key. */
  static final class CredentialsRefused extends EmbeddingException {
    private static final long serialVersionUID = 1L;

    CredentialsRefused(String message) {
      super(message, false);
    }
  }

  private byte[] requestBody(List<String> inputs) {
    ObjectNode request = JSON.createObjectNode();
    request.put("model", settings.model());
    ArrayNode input = request.putArray("input");
    inputs.forEach(input::add);
    request.put("encoding_format", "float");
    if (sendDimensions) {
      request.put("dimensions", settings.dimension());
    }
    try {
      return JSON.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new EmbeddingException("cannot write the request", false, e);
    }
  }

  /** Vectors reordered by {@code index}, checked and renormalised; throws if they do not fit. */
  private List<float[]> parseVectors(ArrayNode data, int inputCount) {
    if (data.size() != inputCount) {
      throw invalid(data.size() + " vectors for " + inputCount + " inputs");
    }
    float[][] vectors = new float[inputCount][];
    for (JsonNode item : data) {
      JsonNode index = item.get("index");
      if (index == null || !index.canConvertToInt()) {
        throw invalid("an item without an integer index");
      }
      int i = index.intValue();
      if (i < 0 || i >= inputCount || vectors[i] != null) {
        throw invalid("indexes are not a permutation of 0.." + (inputCount - 1));
      }
      JsonNode embedding = item.get("embedding");
      if (embedding == null || !embedding.isArray()) {
        throw invalid("item " + i + " has no embedding array");
      }
      if (embedding.size() != settings.dimension()) {
        throw invalid(
            "vector "
                + i
                + " has "
                + embedding.size()
                + " dimensions, expected "
                + settings.dimension());
      }
      vectors[i] = normalised(embedding, i);
    }
    return Arrays.asList(vectors);
  }

  private float[] normalised(JsonNode embedding, int index) {
    double[] values = new double[embedding.size()];
    double sum = 0;
    for (int d = 0; d < values.length; d++) {
      JsonNode value = embedding.get(d);
      if (!value.isNumber() || !Double.isFinite(value.doubleValue())) {
        throw invalid("vector " + index + " has a non-finite or non-numeric component");
      }
      values[d] = value.doubleValue();
      sum += values[d] * values[d];
    }
    double norm = Math.sqrt(sum);
    if (norm == 0 || !Double.isFinite(norm)) {
      throw invalid("vector " + index + " has no direction (norm " + norm + ")");
    }
    float[] vector = new float[values.length];
    for (int d = 0; d < values.length; d++) {
      vector[d] = (float) (values[d] / norm);
    }
    return vector;
  }

  /** A retriable exception carrying the last attempt's I/O error, if it had one. */
  private static EmbeddingException givingUp(String message, Outcome last) {
    Throwable cause = last.cause();
    return cause == null
        ? new EmbeddingException(message, true)
        : new EmbeddingException(message, true, cause);
  }

  private static EmbeddingException invalid(String what) {
    return new EmbeddingException("invalid embeddings response: " + what, false);
  }

  /** Full jitter: uniform in [0, min(cap, base * 2^attempt)]. */
  Duration backoff(int attempt) {
    long ceiling = BASE_BACKOFF.toMillis() << Math.min(attempt, 16);
    ceiling = Math.min(ceiling, MAX_BACKOFF.toMillis());
    long millis;
    synchronized (random) {
      millis = random.nextLong(ceiling + 1);
    }
    return Duration.ofMillis(millis);
  }

  /** The error code and message of an OpenAI error body, redacted and shortened; never the key. */
  private String errorSummary(byte[] body) {
    String summary;
    try {
      JsonNode error = JSON.readTree(body).path("error");
      String code = error.path("code").asText("");
      String type = error.path("type").asText("");
      String message = error.path("message").asText("");
      summary =
          String.join(
                  " ",
                  code.isEmpty() ? "" : code,
                  type.isEmpty() || type.equals(code) ? "" : "(" + type + ")",
                  message)
              .trim();
    } catch (IOException | RuntimeException e) {
      summary = new String(body, StandardCharsets.UTF_8);
    }
    return redact(summary);
  }

  String redact(String text) {
    String redacted = text;
    if (!settings.apiKey().isEmpty()) {
      redacted = redacted.replace(settings.apiKey(), "<redacted>");
    }
    redacted = KEY_LIKE.matcher(redacted).replaceAll("<redacted>").replaceAll("\\s+", " ").trim();
    return redacted.length() > MAX_QUOTED ? redacted.substring(0, MAX_QUOTED) + "…" : redacted;
  }
}
