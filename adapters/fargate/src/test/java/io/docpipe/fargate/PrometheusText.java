package io.docpipe.fargate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4, enough to prove a scrape is
 * well-formed: every line is a comment, blank, or {@code name{labels} value}; it throws otherwise.
 */
record PrometheusText(Map<String, String> types, List<Sample> samples) {

  record Sample(String name, Map<String, String> labels, double value) {}

  static PrometheusText parse(String text) {
    Map<String, String> types = new HashMap<>();
    List<Sample> samples = new ArrayList<>();
    int lineNo = 0;
    for (String line : text.split("\n", -1)) {
      lineNo++;
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("# TYPE ")) {
        String[] parts = line.substring(7).split(" ");
        if (parts.length != 2
            || !parts[1].matches("counter|gauge|histogram|summary|untyped|info|stateset|unknown")) {
          throw new IllegalArgumentException("line " + lineNo + ": bad TYPE: " + line);
        }
        types.put(parts[0], parts[1]);
        continue;
      }
      if (line.startsWith("#")) {
        continue;
      }
      samples.add(sample(line, lineNo));
    }
    return new PrometheusText(types, samples);
  }

  private static Sample sample(String line, int lineNo) {
    int i = 0;
    while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      throw new IllegalArgumentException("line " + lineNo + ": no metric name: " + line);
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i++;
      while (line.charAt(i) != '}') {
        int eq = line.indexOf('=', i);
        String label = line.substring(i, eq);
        if (!label.matches("[a-zA-Z_][a-zA-Z0-9_]*") || line.charAt(eq + 1) != '"') {
          throw new IllegalArgumentException("line " + lineNo + ": bad label: " + line);
        }
        StringBuilder value = new StringBuilder();
        int j = eq + 2;
        while (line.charAt(j) != '"') {
          char c = line.charAt(j);
          if (c == '\\') {
            char next = line.charAt(++j);
            value.append(next == 'n' ? '\n' : next);
          } else {
            value.append(c);
          }
          j++;
        }
        labels.put(label, value.toString());
        i = j + 1;
        if (line.charAt(i) == ',') {
          i++;
        }
      }
      i++;
    }
    if (i >= line.length() || line.charAt(i) != ' ') {
      throw new IllegalArgumentException("line " + lineNo + ": no value: " + line);
    }
    String[] rest = line.substring(i + 1).split(" ");
    double value =
        switch (rest[0]) {
          case "+Inf" -> Double.POSITIVE_INFINITY;
          case "-Inf" -> Double.NEGATIVE_INFINITY;
          case "NaN" -> Double.NaN;
          default -> Double.parseDouble(rest[0]);
        };
    return new Sample(name, labels, value);
  }

  private static boolean isNameChar(char c, boolean first) {
    return Character.isLetter(c) || c == '_' || c == ':' || (!first && Character.isDigit(c));
  }

  /** The value of the one sample with this name and these labels (others ignored). */
  double value(String name, Map<String, String> labels) {
    List<Sample> matching =
        samples.stream()
            .filter(s -> s.name().equals(name))
            .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
            .toList();
    if (matching.size() != 1) {
      throw new AssertionError(matching.size() + " samples of " + name + labels + " in the scrape");
    }
    return matching.getFirst().value();
  }

  /**
   * The sum of the samples with this name and these labels: 0 when there is none, as for a counter
   * whose labelled series was never incremented (and so never exported).
   */
  double sum(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(s -> s.name().equals(name))
        .filter(s -> s.labels().entrySet().containsAll(labels.entrySet()))
        .mapToDouble(Sample::value)
        .sum();
  }
}
