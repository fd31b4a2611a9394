package io.docpipe.wiring;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The one reader of docpipe's environment variables: typed values, every problem collected instead
 * of stopping at the first, never echoing the value of a secret variable. A runtime reads its own
 * variables ({@code FargateSettings}, the GKE worker's settings) with the same reader it then gives
 * to {@link DocpipeConfig#fromEnvironment(EnvironmentReader)}, so the configuration fails once,
 * with every problem of both, and only variables no one read are warned about as unknown.
 */
public final class EnvironmentReader {

  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*([kmgt]i?b?|b)?", Pattern.CASE_INSENSITIVE);

  private static final Pattern DURATION =
      Pattern.compile("(\\d+)\\s*(ms|s|m|h)?", Pattern.CASE_INSENSITIVE);

  private static final Pattern ISO_DURATION = Pattern.compile("PT.+", Pattern.CASE_INSENSITIVE);

  private final Map<String, String> env;
  private final List<String> problems = new ArrayList<>();
  private final Set<String> known = new TreeSet<>();

  public EnvironmentReader(Map<String, String> env) {
    this.env = env;
  }

  /** Every problem found so far, in the order found. */
  public List<String> problems() {
    return problems;
  }

  /**
   * Ends a read.
   *
   * @throws ConfigException naming every problem found so far
   */
  public void failOnProblems() {
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /** Variables starting with {@code prefix} that no read asked for: probably typos. */
  public List<String> unknown(String prefix) {
    return env.keySet().stream()
        .filter(k -> k.startsWith(prefix) && !known.contains(k))
        .sorted()
        .toList();
  }

  private @Nullable String raw(String name) {
    known.add(name);
    String value = env.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  public String string(String name, String fallback) {
    String v = raw(name);
    return v == null ? fallback : v;
  }

  public Path path(String name, Path fallback) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    try {
      return Path.of(v);
    } catch (InvalidPathException e) {
      problems.add(name + "='" + v + "' is not a valid path: " + e.getReason());
      return fallback;
    }
  }

  /** A path, or empty when the variable is not set. */
  public Optional<Path> optionalPath(String name) {
    return raw(name) == null ? Optional.empty() : Optional.of(path(name, Path.of("")));
  }

  /** An absolute http(s) URI. */
  public java.net.URI uri(String name, java.net.URI fallback) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    try {
      java.net.URI uri = new java.net.URI(v);
      if (("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
          && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    problems.add(name + "='" + v + "' must be an absolute http(s) URL");
    return fallback;
  }

  /** An absolute http(s) URI, or empty when the variable is not set. */
  public Optional<java.net.URI> optionalUri(String name) {
    if (raw(name) == null) {
      return Optional.empty();
    }
    java.net.URI placeholder = java.net.URI.create("http://unset.invalid");
    java.net.URI uri = uri(name, placeholder);
    return uri == placeholder ? Optional.empty() : Optional.of(uri);
  }

  /** A value checked by {@code valid}; {@code what} says what is allowed. */
  public Optional<String> optionalString(
      String name, java.util.function.Predicate<String> valid, String what) {
    String v = raw(name);
    if (v == null) {
      return Optional.empty();
    }
    if (!valid.test(v)) {
      problems.add(name + "='" + v + "' must be " + what);
      return Optional.empty();
    }
    return Optional.of(v);
  }

  public int integer(String name, int fallback, int min, int max) {
    return inRange(name, fallback, min, max, Integer::valueOf, "a whole number");
  }

  private <T extends Comparable<T>> T inRange(
      String name, T fallback, T min, T max, Function<String, T> parse, String what) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    try {
      T n = parse.apply(v);
      if (n.compareTo(min) >= 0 && n.compareTo(max) <= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    problems.add(name + "='" + v + "' must be " + what + " from " + min + " to " + max);
    return fallback;
  }

  /** A byte size: {@code 1048576}, {@code 64MiB}, {@code 10MB}, {@code 1g} (binary units). */
  public long bytes(String name, long fallback, long min, long max) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    Matcher m = SIZE.matcher(v);
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
        long factor =
            switch (unit.charAt(0)) {
              case 'k' -> 1L << 10;
              case 'm' -> 1L << 20;
              case 'g' -> 1L << 30;
              case 't' -> 1L << 40;
              default -> 1;
            };
        long bytes = Math.multiplyExact(n, factor);
        if (bytes >= min && bytes <= max) {
          return bytes;
        }
      } catch (ArithmeticException | NumberFormatException e) {
        // reported below
      }
    }
    problems.add(
        name
            + "='"
            + v
            + "' must be a size from "
            + min
            + " to "
            + max
            + " bytes (units: KiB, MiB, GiB)");
    return fallback;
  }

  /**
   * A duration: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h} or ISO-8601 ({@code PT25S}); a
   * bare number is seconds.
   */
  public java.time.Duration duration(
      String name, java.time.Duration fallback, java.time.Duration min, java.time.Duration max) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    if (ISO_DURATION.matcher(v).matches()) {
      try {
        java.time.Duration d = java.time.Duration.parse(v.toUpperCase(Locale.ROOT));
        if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
          return d;
        }
      } catch (java.time.format.DateTimeParseException e) {
        // reported below
      }
    }
    Matcher m = DURATION.matcher(v);
    if (m.matches()) {
      try {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        java.time.Duration d =
            switch (unit) {
              case "ms" -> java.time.Duration.ofMillis(n);
              case "m" -> java.time.Duration.ofMinutes(n);
              case "h" -> java.time.Duration.ofHours(n);
              default -> java.time.Duration.ofSeconds(n);
            };
        if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
          return d;
        }
      } catch (ArithmeticException | NumberFormatException e) {
        // reported below
      }
    }
    problems.add(
        name
            + "='"
            + v
            + "' must be a duration from "
            + min
            + " to "
            + max
            + " (e.g. 500ms, 10s, 2m)");
    return fallback;
  }

  public <E extends Enum<E>> E choice(String name, E fallback) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    for (E e : fallback.getDeclaringClass().getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v)) {
        return e;
      }
    }
    problems.add(
        name
            + "='"
            + v
            + "' is not one of "
            + Arrays.stream(fallback.getDeclaringClass().getEnumConstants())
                .map(e -> e.name().toLowerCase(Locale.ROOT))
                .toList());
    return fallback;
  }

  /** A decimal number from {@code min} to {@code max}, e.g. {@code 0.05}. */
  public double decimal(String name, double fallback, double min, double max) {
    return inRange(name, fallback, min, max, Double::valueOf, "a number");
  }

  /** {@code true}/{@code false} (also yes/no, 1/0), any case. */
  public boolean bool(String name, boolean fallback) {
    String v = raw(name);
    if (v == null) {
      return fallback;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> {
        return true;
      }
      case "false", "no", "0" -> {
        return false;
      }
      default -> {
        problems.add(name + "='" + v + "' must be true or false");
        return fallback;
      }
    }
  }

  /** A comma-separated list; blanks around items are dropped, empty items too. */
  public List<String> list(String name) {
    String v = raw(name);
    if (v == null) {
      return List.of();
    }
    return Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty()).toList();
  }

  /** Records a problem found by a check that spans variables or needs a domain rule. */
  public void problem(String message) {
    problems.add(message);
  }

  public Optional<Secret> secret(String name) {
    String v = raw(name);
    return v == null ? Optional.empty() : Optional.of(Secret.of(v));
  }
}
