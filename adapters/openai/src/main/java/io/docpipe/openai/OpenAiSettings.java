package io.docpipe.openai;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * How to reach an OpenAI-compatible embeddings endpoint and how hard to use it.
 *
 * @param baseUrl API root, e.g. {@code https://api.openai.com/v1}; requests go to {@code
 *     {baseUrl}/embeddings}
 * @param model model name sent in every request, e.g. {@code text-embedding-3-small}
 * @param dimension length of every vector; sent as {@code dimensions} to {@code text-embedding-3*}
 *     models, checked on every response
 * @param maxInputTokens most tokens of one input, as counted by {@link
 *     OpenAiEmbeddingModel#countTokens(String)}
 * @param apiKey bearer token, empty for servers without authentication; never shown by {@link
 *     #toString()}
 * @param requestTimeout time allowed for one HTTP request
 * @param maxRetries retries after the first attempt of one request (0 = no retry)
 * @param maxTotalRetryTime wall time one request may spend retrying, backoff included
 * @param maxInputsPerRequest most inputs packed into one request (1..2,048)
 * @param maxTokensPerRequest most counted tokens packed into one request; at least {@code
 *     maxInputTokens}
 * @param requestsPerMinute client-side limit on requests
 * @param tokensPerMinute client-side limit on counted tokens; at least {@code maxTokensPerRequest}
 * @param allowPlainHttp whether an {@code http://} base URL of a host other than a loopback literal
 *     ({@code localhost}, {@code 127.0.0.0/8}, {@code ::1}) may carry a non-empty API key; off by
 *     default because the key would cross the network in clear text, so such settings are refused.
 *     Meant for a test address (a stand-in on another host name, a sidecar)
 */
public record OpenAiSettings(
    URI baseUrl,
    String model,
    int dimension,
    int maxInputTokens,
    String apiKey,
    Duration requestTimeout,
    int maxRetries,
    Duration maxTotalRetryTime,
    int maxInputsPerRequest,
    int maxTokensPerRequest,
    int requestsPerMinute,
    int tokensPerMinute,
    boolean allowPlainHttp) {

  /** The API's limit on inputs per request. */
  public static final int MAX_INPUTS_PER_REQUEST = 2_048;

  /** Default tokens per request: the API's limit. */
  public static final int DEFAULT_MAX_TOKENS_PER_REQUEST = 300_000;

  /** Default tokens per input: the limit of OpenAI's embedding models. */
  public static final int DEFAULT_MAX_INPUT_TOKENS = 8_192;

  /** Default retries after the first attempt. */
  public static final int DEFAULT_MAX_RETRIES = 5;

  /** Default total retry time of one request. */
  public static final Duration DEFAULT_MAX_TOTAL_RETRY_TIME = Duration.ofMinutes(2);

  /** Default timeout of one HTTP request. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** Default client-side request rate (OpenAI's tier-1 limit for embedding models). */
  public static final int DEFAULT_REQUESTS_PER_MINUTE = 3_000;

  /** Default client-side token rate (OpenAI's tier-1 limit for embedding models). */
  public static final int DEFAULT_TOKENS_PER_MINUTE = 1_000_000;

  public OpenAiSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(apiKey, "apiKey");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    Objects.requireNonNull(maxTotalRetryTime, "maxTotalRetryTime");
    String scheme = baseUrl.getScheme();
    if (scheme == null
        || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
        || baseUrl.getHost() == null) {
      throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL, was " + baseUrl);
    }
    if (baseUrl.getRawUserInfo() != null
        || baseUrl.getRawQuery() != null
        || baseUrl.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "baseUrl must have no user info, query or fragment (credentials go in apiKey)");
    }
    if (scheme.equalsIgnoreCase("http")
        && !apiKey.isEmpty()
        && !allowPlainHttp
        && !isLoopbackHost(baseUrl.getHost())) {
      throw new IllegalArgumentException(
          "baseUrl "
              + baseUrl
              + " is plain http: the API key would be sent in clear text; use https, or allow"
              + " plain http explicitly for a loopback or test address (allowPlainHttp,"
              + " DOCPIPE_OPENAI_ALLOW_PLAIN_HTTP=true)");
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("model must not be blank");
    }
    positive("dimension", dimension);
    positive("maxInputTokens", maxInputTokens);
    if (apiKey.chars().anyMatch(c -> c < 0x21 || c > 0x7e)) {
      // Checked without echoing the key: it must fit in an HTTP header.
      throw new IllegalArgumentException("apiKey must be printable ASCII without spaces");
    }
    if (requestTimeout.isNegative() || requestTimeout.isZero()) {
      throw new IllegalArgumentException("requestTimeout must be positive, was " + requestTimeout);
    }
    if (maxRetries < 0) {
      throw new IllegalArgumentException("maxRetries must not be negative, was " + maxRetries);
    }
    if (maxTotalRetryTime.isNegative()) {
      throw new IllegalArgumentException(
          "maxTotalRetryTime must not be negative, was " + maxTotalRetryTime);
    }
    if (maxInputsPerRequest < 1 || maxInputsPerRequest > MAX_INPUTS_PER_REQUEST) {
      throw new IllegalArgumentException(
          "maxInputsPerRequest must be between 1 and "
              + MAX_INPUTS_PER_REQUEST
              + ", was "
              + maxInputsPerRequest);
    }
    if (maxTokensPerRequest < maxInputTokens) {
      throw new IllegalArgumentException(
          "maxTokensPerRequest ("
              + maxTokensPerRequest
              + ") must be at least maxInputTokens ("
              + maxInputTokens
              + ")");
    }
    positive("requestsPerMinute", requestsPerMinute);
    if (tokensPerMinute < maxTokensPerRequest) {
      throw new IllegalArgumentException(
          "tokensPerMinute ("
              + tokensPerMinute
              + ") must be at least maxTokensPerRequest ("
              + maxTokensPerRequest
              + ")");
    }
  }

  /**
   * Settings with the defaults: {@value #DEFAULT_MAX_INPUT_TOKENS} tokens per input, {@value
   * #MAX_INPUTS_PER_REQUEST} inputs and {@value #DEFAULT_MAX_TOKENS_PER_REQUEST} tokens per
   * request, {@value #DEFAULT_MAX_RETRIES} retries within 2 minutes, a 60-second request timeout,
   * {@value #DEFAULT_REQUESTS_PER_MINUTE} requests and {@value #DEFAULT_TOKENS_PER_MINUTE} tokens
   * per minute.
   */
  public static OpenAiSettings defaults(URI baseUrl, String model, int dimension, String apiKey) {
    return defaults(baseUrl, model, dimension, apiKey, false);
  }

  /** {@link #defaults(URI, String, int, String)}, choosing whether plain http may carry the key. */
  public static OpenAiSettings defaults(
      URI baseUrl, String model, int dimension, String apiKey, boolean allowPlainHttp) {
    return new OpenAiSettings(
        baseUrl,
        model,
        dimension,
        DEFAULT_MAX_INPUT_TOKENS,
        apiKey,
        DEFAULT_REQUEST_TIMEOUT,
        DEFAULT_MAX_RETRIES,
        DEFAULT_MAX_TOTAL_RETRY_TIME,
        MAX_INPUTS_PER_REQUEST,
        DEFAULT_MAX_TOKENS_PER_REQUEST,
        DEFAULT_REQUESTS_PER_MINUTE,
        DEFAULT_TOKENS_PER_MINUTE,
        allowPlainHttp);
  }

  public OpenAiSettings withMaxInputTokens(int maxInputTokens) {
    Draft draft = new Draft(this);
    draft.maxInputTokens = maxInputTokens;
    return draft.settings();
  }

  public OpenAiSettings withRequestTimeout(Duration requestTimeout) {
    Draft draft = new Draft(this);
    draft.requestTimeout = requestTimeout;
    return draft.settings();
  }

  public OpenAiSettings withRetries(int maxRetries, Duration maxTotalRetryTime) {
    Draft draft = new Draft(this);
    draft.maxRetries = maxRetries;
    draft.maxTotalRetryTime = maxTotalRetryTime;
    return draft.settings();
  }

  public OpenAiSettings withRequestLimits(int maxInputsPerRequest, int maxTokensPerRequest) {
    Draft draft = new Draft(this);
    draft.maxInputsPerRequest = maxInputsPerRequest;
    draft.maxTokensPerRequest = maxTokensPerRequest;
    return draft.settings();
  }

  public OpenAiSettings withRateLimits(int requestsPerMinute, int tokensPerMinute) {
    Draft draft = new Draft(this);
    draft.requestsPerMinute = requestsPerMinute;
    draft.tokensPerMinute = tokensPerMinute;
    return draft.settings();
  }

  /**
   * The same settings, allowing (or not) an API key over a plain {@code http://} base URL: for a
   * loopback or test address only.
   */
  public OpenAiSettings withPlainHttpAllowed(boolean allow) {
    Draft draft = new Draft(this);
    draft.allowPlainHttp = allow;
    return draft.settings();
  }

  /**
   * A copy of every setting, changed in a few places and checked again as a whole: the {@code with}
   * methods change settings that constrain each other (tokens per request and per minute).
   */
  private static final class Draft {
    private final URI baseUrl;
    private final String model;
    private final int dimension;
    private final String apiKey;
    private int maxInputTokens;
    private Duration requestTimeout;
    private int maxRetries;
    private Duration maxTotalRetryTime;
    private int maxInputsPerRequest;
    private int maxTokensPerRequest;
    private int requestsPerMinute;
    private int tokensPerMinute;
    private boolean allowPlainHttp;

    private Draft(OpenAiSettings from) {
      baseUrl = from.baseUrl;
      model = from.model;
      dimension = from.dimension;
      apiKey = from.apiKey;
      maxInputTokens = from.maxInputTokens;
      requestTimeout = from.requestTimeout;
      maxRetries = from.maxRetries;
      maxTotalRetryTime = from.maxTotalRetryTime;
      maxInputsPerRequest = from.maxInputsPerRequest;
      maxTokensPerRequest = from.maxTokensPerRequest;
      requestsPerMinute = from.requestsPerMinute;
      tokensPerMinute = from.tokensPerMinute;
      allowPlainHttp = from.allowPlainHttp;
    }

    private OpenAiSettings settings() {
      return new OpenAiSettings(
          baseUrl,
          model,
          dimension,
          maxInputTokens,
          apiKey,
          requestTimeout,
          maxRetries,
          maxTotalRetryTime,
          maxInputsPerRequest,
          maxTokensPerRequest,
          requestsPerMinute,
          tokensPerMinute,
          allowPlainHttp);
    }
  }

  /**
   * The id of a model built with these settings, {@code openai:<model>:<dimension>}: here, so that
   * a store can learn it without initialising {@link OpenAiEmbeddingModel} (whose JSON mapper costs
   * a Lambda cold start about 45 ms on the thread that opens the index, ADR 0030).
   */
  public String modelId() {
    return "openai:" + model + ":" + dimension;
  }

  /** Every setting except the API key, which shows only whether one is set. */
  @Override
  public String toString() {
    return "OpenAiSettings[baseUrl="
        + baseUrl
        + ", model="
        + model
        + ", dimension="
        + dimension
        + ", maxInputTokens="
        + maxInputTokens
        + ", apiKey="
        + (apiKey.isEmpty() ? "<none>" : "<redacted>")
        + ", requestTimeout="
        + requestTimeout
        + ", maxRetries="
        + maxRetries
        + ", maxTotalRetryTime="
        + maxTotalRetryTime
        + ", maxInputsPerRequest="
        + maxInputsPerRequest
        + ", maxTokensPerRequest="
        + maxTokensPerRequest
        + ", requestsPerMinute="
        + requestsPerMinute
        + ", tokensPerMinute="
        + tokensPerMinute
        + ", allowPlainHttp="
        + allowPlainHttp
        + "]";
  }

  /** A host that names this machine without a lookup: a key sent there never crosses a network. */
  public static boolean isLoopbackHost(String host) {
    String h = host.toLowerCase(java.util.Locale.ROOT);
    return h.equals("localhost")
        || h.equals("[::1]")
        || h.equals("::1")
        || h.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
