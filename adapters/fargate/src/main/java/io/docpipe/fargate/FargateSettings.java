package io.docpipe.fargate;

import io.docpipe.api.ApiLimits;
import io.docpipe.api.DocpipeHttpApi;
import io.docpipe.core.port.in.SearchCommand;
import io.docpipe.wiring.ConfigException;
import io.docpipe.wiring.EnvironmentReader;
import io.docpipe.wiring.Secret;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP service's own settings ({@code DOCPIPE_HTTP_*}, {@code DOCPIPE_API_*}); the pipeline's
 * settings stay in {@code DocpipeConfig}. Tokens are {@link Secret}s, so this record can be logged.
 *
 * @param host address to bind ({@code DOCPIPE_HTTP_HOST})
 * @param port port to listen on, 0 for any free one ({@code DOCPIPE_HTTP_PORT})
 * @param limits body size, documents per request and largest k
 * @param requestTimeout longest a request may run before it is answered 408
 * @param syncMaxDocuments batches up to this size are ingested while the client waits; larger ones
 *     become jobs (202)
 * @param queueCapacity accepted jobs that may wait for a worker; more are refused with 503
 * @param jobWorkers jobs that run at the same time
 * @param tokens accepted bearer tokens with their scope; empty only when auth is off
 * @param authRequired false only with {@code DOCPIPE_API_AUTH=none}
 * @param drainBudget longest the SIGTERM drain may take; keep it below ECS {@code stopTimeout}
 * @param maxConcurrentRequests API requests served at once, including work still running after its
 *     client got 408; more get 503
 * @param maxInFlightBytes request body bytes admitted at once (declared {@code Content-Length}, or
 *     the body limit for a chunked body); a request that would pass it gets 503
 */
record FargateSettings(
    String host,
    int port,
    ApiLimits limits,
    Duration requestTimeout,
    int syncMaxDocuments,
    int queueCapacity,
    int jobWorkers,
    List<ApiToken> tokens,
    boolean authRequired,
    Duration drainBudget,
    int maxConcurrentRequests,
    long maxInFlightBytes) {

  /** What a token may do: READ searches and reads stats and jobs; WRITE may also change data. */
  public enum Scope {
    READ,
    WRITE
  }

  /** One accepted bearer token. */
  public record ApiToken(Secret token, Scope scope) {
    public ApiToken {
      Objects.requireNonNull(token, "token");
      Objects.requireNonNull(scope, "scope");
    }
  }

  /**
   * Every variable this record reads (the task definition's test checks them; a shared {@link
   * EnvironmentReader} keeps {@code DocpipeConfig} from warning about them).
   */
  public static final Set<String> VARIABLES =
      Set.of(
          "DOCPIPE_HTTP_HOST",
          "DOCPIPE_HTTP_PORT",
          "DOCPIPE_HTTP_MAX_BODY_BYTES",
          "DOCPIPE_HTTP_MAX_DOCUMENTS",
          "DOCPIPE_HTTP_MAX_K",
          "DOCPIPE_HTTP_REQUEST_TIMEOUT",
          "DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS",
          "DOCPIPE_HTTP_QUEUE_CAPACITY",
          "DOCPIPE_HTTP_JOB_WORKERS",
          "DOCPIPE_HTTP_DRAIN_BUDGET",
          "DOCPIPE_HTTP_MAX_CONCURRENT_REQUESTS",
          "DOCPIPE_HTTP_MAX_IN_FLIGHT_BYTES",
          "DOCPIPE_API_TOKENS",
          "DOCPIPE_API_AUTH");

  /** ECS's default {@code stopTimeout}; the drain must end before it or the task is killed. */
  public static final Duration ECS_DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);

  /** ECS allows {@code stopTimeout} up to 120 s. */
  private static final Duration MAX_DRAIN = Duration.ofSeconds(115);

  /** RFC 6750 b64token: the characters a bearer token may hold. */
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9\\-._~+/]+=*");

  private static final int MIN_TOKEN_LENGTH = 16;

  public FargateSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(requestTimeout, "requestTimeout");
    tokens = List.copyOf(tokens);
    Objects.requireNonNull(drainBudget, "drainBudget");
    if (authRequired && tokens.isEmpty()) {
      throw new IllegalArgumentException("auth is required but no token is configured");
    }
    if (maxConcurrentRequests < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentRequests must be positive: " + maxConcurrentRequests);
    }
    if (maxInFlightBytes < limits.maxBodyBytes()) {
      throw new IllegalArgumentException(
          "maxInFlightBytes must admit one body of the largest size ("
              + limits.maxBodyBytes()
              + "): "
              + maxInFlightBytes);
    }
  }

  /**
   * The default bound on request bytes in flight: 1/32 of the heap, because a JSON body grows many
   * times over while it is parsed (a 6 MiB search whose filter is one array of 500,000 short
   * strings becomes a tree of half a million nodes); never less than one largest body. ADR 0014.
   */
  static long defaultMaxInFlightBytes(int maxBodyBytes) {
    return Math.max(maxBodyBytes, Runtime.getRuntime().maxMemory() / 32);
  }

  /**
   * Reads and validates the settings.
   *
   * @throws ConfigException naming every invalid variable and what it allows
   */
  public static FargateSettings fromEnvironment(Map<String, String> env) {
    EnvironmentReader reader = new EnvironmentReader(env);
    FargateSettings settings = read(reader);
    reader.failOnProblems();
    return Objects.requireNonNull(settings, "settings");
  }

  /**
   * Reads the settings with {@code r}, which goes on to read the pipeline's ({@code
   * DocpipeConfig.fromEnvironment(r)} then fails once with the problems of both).
   *
   * @return the settings, or {@code null} when {@code r} found a problem in them
   */
  public static @Nullable FargateSettings read(EnvironmentReader r) {
    int problemsBefore = r.problems().size();
    String host = r.string("DOCPIPE_HTTP_HOST", "0.0.0.0");
    int port = r.integer("DOCPIPE_HTTP_PORT", 8080, 0, 65535);
    int maxBody =
        r.integer("DOCPIPE_HTTP_MAX_BODY_BYTES", ApiLimits.DEFAULT_MAX_BODY_BYTES, 1024, 256 << 20);
    int maxDocuments =
        r.integer("DOCPIPE_HTTP_MAX_DOCUMENTS", ApiLimits.DEFAULT_MAX_DOCUMENTS, 1, 10_000);
    // At least the API's default k: a search without "k" must stay valid.
    int maxK =
        r.integer(
            "DOCPIPE_HTTP_MAX_K",
            ApiLimits.DEFAULT_MAX_K,
            DocpipeHttpApi.DEFAULT_K,
            SearchCommand.MAX_K);
    Duration timeout =
        r.duration(
            "DOCPIPE_HTTP_REQUEST_TIMEOUT",
            Duration.ofSeconds(25),
            Duration.ofMillis(100),
            Duration.ofMinutes(10));
    int syncMax = r.integer("DOCPIPE_HTTP_SYNC_MAX_DOCUMENTS", 8, 0, 10_000);
    int capacity = r.integer("DOCPIPE_HTTP_QUEUE_CAPACITY", 16, 1, 100_000);
    int workers = r.integer("DOCPIPE_HTTP_JOB_WORKERS", 1, 1, 64);
    Duration drain =
        r.duration("DOCPIPE_HTTP_DRAIN_BUDGET", Duration.ofSeconds(25), Duration.ZERO, MAX_DRAIN);
    int maxConcurrent = r.integer("DOCPIPE_HTTP_MAX_CONCURRENT_REQUESTS", 64, 1, 10_000);
    long defaultInFlight = defaultMaxInFlightBytes(maxBody);
    int problemsBeforeInFlight = r.problems().size();
    int inFlight =
        r.integer(
            "DOCPIPE_HTTP_MAX_IN_FLIGHT_BYTES",
            (int) Math.min(Integer.MAX_VALUE, defaultInFlight),
            1024,
            Integer.MAX_VALUE);
    if (inFlight < maxBody && r.problems().size() == problemsBeforeInFlight) {
      r.problem(
          "DOCPIPE_HTTP_MAX_IN_FLIGHT_BYTES="
              + inFlight
              + " must be at least DOCPIPE_HTTP_MAX_BODY_BYTES ("
              + maxBody
              + "), or no largest body is ever admitted");
    }
    String auth = r.string("DOCPIPE_API_AUTH", "bearer").toLowerCase(Locale.ROOT);
    int problemsBeforeTokens = r.problems().size();
    List<ApiToken> tokens = tokens(r, "DOCPIPE_API_TOKENS");
    boolean tokensFailed = r.problems().size() > problemsBeforeTokens;
    boolean authRequired = true;
    switch (auth) {
      case "bearer" -> {
        if (tokens.isEmpty() && !tokensFailed) {
          r.problem(
              "DOCPIPE_API_TOKENS must name at least one token (or set DOCPIPE_API_AUTH=none for"
                  + " a service no one else can reach)");
        }
      }
      case "none" -> authRequired = false;
      default -> r.problem("DOCPIPE_API_AUTH='" + auth + "' must be bearer or none");
    }
    if (r.problems().size() > problemsBefore) {
      return null;
    }
    return new FargateSettings(
        host,
        port,
        new ApiLimits(maxBody, maxDocuments, maxK),
        timeout,
        syncMax,
        capacity,
        workers,
        authRequired ? tokens : List.of(),
        authRequired,
        drain,
        maxConcurrent,
        inFlight);
  }

  /** Comma-separated {@code token} (write scope) or {@code token:read}; never echoes a token. */
  private static List<ApiToken> tokens(EnvironmentReader r, String name) {
    String v = r.string(name, "");
    List<ApiToken> tokens = new ArrayList<>();
    if (v.isEmpty()) {
      return tokens;
    }
    String[] entries = v.split(",", -1);
    for (int i = 0; i < entries.length; i++) {
      String entry = entries[i].strip();
      Scope scope = Scope.WRITE;
      int colon = entry.lastIndexOf(':');
      if (colon >= 0) {
        String suffix = entry.substring(colon + 1);
        entry = entry.substring(0, colon);
        switch (suffix) {
          case "read" -> scope = Scope.READ;
          case "write" -> scope = Scope.WRITE;
          default -> {
            r.problem(name + " entry " + (i + 1) + " has scope other than :read or :write");
            continue;
          }
        }
      }
      if (entry.length() < MIN_TOKEN_LENGTH || !TOKEN.matcher(entry).matches()) {
        // Never echo the value: it is a secret.
        r.problem(
            name
                + " entry "
                + (i + 1)
                + " must be a bearer token of at least "
                + MIN_TOKEN_LENGTH
                + " characters from [A-Za-z0-9-._~+/]");
        continue;
      }
      tokens.add(new ApiToken(Secret.of(entry), scope));
    }
    return tokens;
  }
}
