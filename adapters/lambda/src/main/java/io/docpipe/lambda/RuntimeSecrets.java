package io.docpipe.lambda;

import io.docpipe.wiring.ConfigException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The secrets a function reads at run time instead of from its environment: {@code
 * DOCPIPE_SECRETS_FROM=NAME=ARN,NAME=ARN} names, for each secret setting, the SSM parameter or
 * Secrets Manager secret that holds it (Terraform writes it; only ARNs reach the function's
 * configuration and the state). Read once at start and again every {@code DOCPIPE_SECRETS_REFRESH}
 * (default 15 minutes), so a rotated key reaches a warm function within that bound.
 */
final class RuntimeSecrets implements AutoCloseable {

  static final String SECRETS_FROM = "DOCPIPE_SECRETS_FROM";
  static final String REFRESH = "DOCPIPE_SECRETS_REFRESH";
  static final Duration DEFAULT_REFRESH = Duration.ofMinutes(15);

  private static final System.Logger LOG = System.getLogger(RuntimeSecrets.class.getName());
  private static final Pattern NAME = Pattern.compile("DOCPIPE_[A-Z0-9_]+");
  private static final Pattern ARN = Pattern.compile("arn:[a-z-]+:(ssm|secretsmanager):[^:]+:.+");

  private final Map<String, String> references;
  private final Duration refresh;
  private final SecretReader reader;
  private final Supplier<Instant> clock;
  private Map<String, String> values = Map.of();
  private Instant readAt = Instant.MIN;

  private RuntimeSecrets(
      Map<String, String> references,
      Duration refresh,
      SecretReader reader,
      Supplier<Instant> clock) {
    this.references = Map.copyOf(references);
    this.refresh = refresh;
    this.reader = reader;
    this.clock = clock;
  }

  /**
   * The secrets {@code env} names, or none when it names none ({@code reader} is then not built).
   *
   * @throws ConfigException naming the malformed variable
   */
  static Optional<RuntimeSecrets> fromEnvironment(
      Map<String, String> env, Supplier<SecretReader> reader, Supplier<Instant> clock) {
    String from = env.getOrDefault(SECRETS_FROM, "").strip();
    List<String> problems = new ArrayList<>();
    Map<String, String> references = new LinkedHashMap<>();
    if (!from.isEmpty()) {
      for (String entry : from.split(",")) {
        int eq = entry.indexOf('=');
        String name = eq < 0 ? entry.strip() : entry.substring(0, eq).strip();
        String arn = eq < 0 ? "" : entry.substring(eq + 1).strip();
        if (!NAME.matcher(name).matches() || !ARN.matcher(arn).matches()) {
          problems.add(
              SECRETS_FROM
                  + ": '"
                  + entry.strip()
                  + "' must be DOCPIPE_<NAME>=<SSM parameter or Secrets Manager ARN>");
        } else if (references.put(name, arn) != null) {
          problems.add(SECRETS_FROM + ": " + name + " is named twice");
        }
      }
    }
    Duration refresh = DEFAULT_REFRESH;
    String r = env.getOrDefault(REFRESH, "").strip();
    if (!r.isEmpty()) {
      try {
        refresh = Duration.parse(r.matches("\\d+[smh]") ? "PT" + r.toUpperCase() : r);
        if (refresh.compareTo(Duration.ofSeconds(10)) < 0) {
          problems.add(REFRESH + "='" + r + "' must be at least 10s");
        }
      } catch (DateTimeParseException e) {
        problems.add(REFRESH + "='" + r + "' must be a duration like 15m, 300s or 1h");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    if (references.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new RuntimeSecrets(references, refresh, reader.get(), clock));
  }

  /**
   * Reads every secret now: variable name → value.
   *
   * @throws ConfigException naming each secret that could not be read (and why), never a value
   */
  synchronized Map<String, String> read() {
    Map<String, String> read = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    references.forEach(
        (name, arn) -> {
          try {
            String value = reader.read(arn);
            if (value == null || value.isBlank()) {
              problems.add(name + ": " + arn + " is empty");
            } else {
              read.put(name, value.strip());
            }
          } catch (RuntimeException e) {
            problems.add(name + ": cannot read " + arn + ": " + e.getMessage());
          }
        });
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    values = Map.copyOf(read);
    readAt = clock.get();
    return values;
  }

  /**
   * When the refresh interval has passed: the secrets read again, if any changed. A failed re-read
   * keeps the values in use (logged) and is tried again after another interval.
   */
  synchronized Optional<Map<String, String>> changed() {
    Instant now = clock.get();
    if (now.isBefore(readAt.plus(refresh))) {
      return Optional.empty();
    }
    Map<String, String> before = values;
    try {
      Map<String, String> after = read();
      return after.equals(before) ? Optional.empty() : Optional.of(after);
    } catch (ConfigException e) {
      readAt = now;
      LOG.log(
          System.Logger.Level.WARNING,
          "secrets not refreshed, keeping the values read before: {0}",
          e.getMessage());
      return Optional.empty();
    }
  }

  Duration refresh() {
    return refresh;
  }

  @Override
  public void close() {
    reader.close();
  }

  /** {@code env} without the variables only this class reads. */
  static Map<String, String> withoutOwnVariables(Map<String, String> env) {
    Map<String, String> rest = new LinkedHashMap<>(Objects.requireNonNull(env));
    rest.remove(SECRETS_FROM);
    rest.remove(REFRESH);
    return rest;
  }
}
