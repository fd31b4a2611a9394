package io.docpipe.openai;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads how long the server asks us to wait: {@code retry-after-ms}, {@code Retry-After} (seconds;
 * HTTP dates are ignored) and {@code x-ratelimit-reset-requests} / {@code -tokens} (Go-style
 * durations such as {@code 1s}, {@code 6m0s}, {@code 20ms}, {@code 1h2m3.5s}). The longest one
 * wins.
 */
final class RetryHints {

  private static final Pattern GO_PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

  /** Hints beyond this are treated as this (the total retry budget cuts them off anyway). */
  private static final Duration MAX_HINT = Duration.ofHours(1);

  private RetryHints() {}

  static Optional<Duration> from(HttpHeaders headers) {
    Duration longest = null;
    for (String name :
        new String[] {
          "retry-after-ms", "retry-after", "x-ratelimit-reset-requests", "x-ratelimit-reset-tokens"
        }) {
      Optional<String> value = headers.firstValue(name);
      if (value.isEmpty()) {
        continue;
      }
      Optional<Duration> parsed =
          switch (name) {
            case "retry-after-ms" -> seconds(value.get(), 1e-3);
            case "retry-after" -> seconds(value.get(), 1);
            default -> goDuration(value.get());
          };
      if (parsed.isPresent() && (longest == null || parsed.get().compareTo(longest) > 0)) {
        longest = parsed.get();
      }
    }
    return Optional.ofNullable(longest);
  }

  /** A non-negative decimal number times {@code unitSeconds}; empty if it is not one. */
  static Optional<Duration> seconds(String value, double unitSeconds) {
    try {
      double number = Double.parseDouble(value.trim());
      if (!Double.isFinite(number) || number < 0) {
        return Optional.empty();
      }
      return Optional.of(capped(number * unitSeconds));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** A Go {@code time.Duration} string made of h, m, s and ms parts; empty if it is not one. */
  static Optional<Duration> goDuration(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = GO_PART.matcher(text);
    double totalSeconds = 0;
    int position = 0;
    while (position < text.length()) {
      if (!matcher.find(position) || matcher.start() != position) {
        return Optional.empty();
      }
      double number = Double.parseDouble(matcher.group(1));
      totalSeconds +=
          switch (matcher.group(2)) {
            case "h" -> number * 3600;
            case "m" -> number * 60;
            case "s" -> number;
            default -> number / 1000;
          };
      position = matcher.end();
    }
    return Optional.of(capped(totalSeconds));
  }

  private static Duration capped(double seconds) {
    if (seconds >= MAX_HINT.toSeconds()) {
      return MAX_HINT;
    }
    return Duration.ofNanos(Math.round(seconds * 1e9));
  }
}
