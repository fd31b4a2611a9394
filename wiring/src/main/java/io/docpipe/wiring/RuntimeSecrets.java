package io.docpipe.wiring;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Where a process's secret settings are read from at run time instead of its environment, and
 * reading them: {@code DOCPIPE_SECRETS_FROM=NAME=ARN,…} names, per setting, the SSM parameter or
 * Secrets Manager secret that holds it (AWS: only ARNs reach the configuration and the Terraform
 * state); {@code DOCPIPE_SECRETS_DIR} is a folder with one file per setting, named as the setting
 * (Kubernetes: a Secret mounted as a volume, whose files the kubelet replaces after a rotation).
 * {@code DOCPIPE_SECRETS_REFRESH} (default 15 minutes) bounds how long a rotated value goes
 * unnoticed when no call is refused.
 */
final class RuntimeSecrets implements AutoCloseable {

  static final String SECRETS_FROM = "DOCPIPE_SECRETS_FROM";
  static final String SECRETS_DIR = "DOCPIPE_SECRETS_DIR";
  static final String REFRESH = "DOCPIPE_SECRETS_REFRESH";
  static final Duration DEFAULT_REFRESH = Duration.ofMinutes(15);

  private static final Pattern NAME = Pattern.compile("DOCPIPE_[A-Z0-9_]+");
  private static final Pattern ARN = Pattern.compile("arn:[a-z-]+:(ssm|secretsmanager):[^:]+:.+");

  private final Map<String, String> arns;
  private final @Nullable Path dir;
  private final Duration refresh;
  private final Supplier<SecretReader> readerFactory;
  private @Nullable SecretReader reader;

  private RuntimeSecrets(
      Map<String, String> arns,
      @Nullable Path dir,
      Duration refresh,
      Supplier<SecretReader> readerFactory) {
    this.arns = Map.copyOf(arns);
    this.dir = dir;
    this.refresh = refresh;
    this.readerFactory = readerFactory;
  }

  /**
   * The secrets {@code env} names, or none when it names none ({@code reader} is built only when an
   * ARN is to be read).
   *
   * @throws ConfigException naming each malformed variable
   */
  static Optional<RuntimeSecrets> fromEnvironment(
      Map<String, String> env, Supplier<SecretReader> reader) {
    List<String> problems = new ArrayList<>();
    Map<String, String> arns = new LinkedHashMap<>();
    String from = env.getOrDefault(SECRETS_FROM, "").strip();
    if (!from.isEmpty()) {
      for (String entry : from.split(",")) {
        int eq = entry.indexOf('=');
        String name = eq < 0 ? entry.strip() : entry.substring(0, eq).strip();
        String arn = eq < 0 ? "" : entry.substring(eq + 1).strip();
        if (!NAME.matcher(name).matches() || !ARN.matcher(arn).matches()) {
          // Never the part after '=': a value pasted in place of its ARN is a secret.
          problems.add(
              SECRETS_FROM
                  + ": the entry '"
                  + name
                  + "=…' must be DOCPIPE_<NAME>=<SSM parameter or Secrets Manager ARN>");
        } else if (arns.put(name, arn) != null) {
          problems.add(SECRETS_FROM + ": " + name + " is named twice");
        }
      }
    }
    Path dir = null;
    String d = env.getOrDefault(SECRETS_DIR, "").strip();
    if (!d.isEmpty()) {
      try {
        dir = Path.of(d);
        if (!Files.isDirectory(dir)) {
          problems.add(SECRETS_DIR + "='" + d + "' is not a readable folder");
        }
      } catch (InvalidPathException e) {
        problems.add(SECRETS_DIR + "='" + d + "' is not a path");
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
    if (arns.isEmpty() && dir == null) {
      return Optional.empty();
    }
    return Optional.of(new RuntimeSecrets(arns, dir, refresh, reader));
  }

  /**
   * Reads every secret now: setting name → value (the folder's files first, then the ARNs; a name
   * in both is refused).
   *
   * @throws ConfigException naming each secret that could not be read (and why), never a value
   */
  synchronized Map<String, String> read() {
    Map<String, String> read = new TreeMap<>();
    List<String> problems = new ArrayList<>();
    if (dir != null) {
      readFolder(dir, read, problems);
    }
    arns.forEach(
        (name, arn) -> {
          if (read.containsKey(name)) {
            problems.add(name + " is both a file in " + SECRETS_DIR + " and in " + SECRETS_FROM);
            return;
          }
          try {
            String value = reader().read(arn);
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
    return Map.copyOf(read);
  }

  /**
   * One file per setting, named as it. Kubernetes mounts a Secret as symbolic links into a hidden
   * {@code ..data} folder that it swaps in one step on a rotation: hidden names are skipped, links
   * are followed, and other names (a key that is not a docpipe setting) and empty files (an unset
   * setting) are ignored.
   */
  private static void readFolder(Path dir, Map<String, String> read, List<String> problems) {
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path file : files) {
        String name = String.valueOf(file.getFileName());
        if (!NAME.matcher(name).matches() || !Files.isRegularFile(file)) {
          continue;
        }
        String value = Files.readString(file, StandardCharsets.UTF_8);
        // An empty key of a Secret is an unset setting, as an empty environment variable is.
        if (!value.isBlank()) {
          read.put(name, value.strip());
        }
      }
    } catch (IOException | RuntimeException e) {
      problems.add(SECRETS_DIR + ": cannot read " + dir + ": " + e.getClass().getSimpleName());
    }
  }

  private SecretReader reader() {
    SecretReader r = reader;
    if (r == null) {
      r = Objects.requireNonNull(readerFactory.get(), "secret reader");
      reader = r;
    }
    return r;
  }

  Duration refresh() {
    return refresh;
  }

  @Override
  public synchronized void close() {
    SecretReader r = reader;
    if (r != null) {
      r.close();
    }
  }

  /** {@code env} without the variables only this class reads. */
  static Map<String, String> withoutOwnVariables(Map<String, String> env) {
    Map<String, String> rest = new LinkedHashMap<>(Objects.requireNonNull(env));
    rest.remove(SECRETS_FROM);
    rest.remove(SECRETS_DIR);
    rest.remove(REFRESH);
    return rest;
  }
}
