package io.docpipe.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;

/** Repeated measurements of one quantity: median and range, warm-up runs excluded. */
record Samples(List<Double> values) {

  Samples {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no samples");
    }
    List<Double> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    values = List.copyOf(sorted);
  }

  /** Runs {@code measure} {@code warmups} times unrecorded, then {@code runs} times recorded. */
  static Samples of(int warmups, int runs, DoubleSupplier measure) {
    for (int i = 0; i < warmups; i++) {
      measure.getAsDouble();
    }
    List<Double> values = new ArrayList<>(runs);
    for (int i = 0; i < runs; i++) {
      values.add(measure.getAsDouble());
    }
    return new Samples(values);
  }

  /**
   * Throughput per CPU second: runs {@code work} as {@link #of} does and divides the units each run
   * reports (chunks, bytes, vectors compared) by the process CPU time it took, so a result is
   * stated per core used rather than per wall second.
   */
  static Samples perCpuSecond(int warmups, int runs, LongSupplier work) {
    return of(
        warmups,
        runs,
        () -> {
          long start = Cpu.processCpuNanos();
          long units = work.getAsLong();
          return units / ((Cpu.processCpuNanos() - start) / 1e9);
        });
  }

  double median() {
    int n = values.size();
    return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
  }

  double min() {
    return values.getFirst();
  }

  double max() {
    return values.getLast();
  }

  /** The ratio of two throughputs per run pair, as samples: this / other. */
  Samples over(Samples other) {
    List<Double> ratios = new ArrayList<>();
    int n = Math.min(values.size(), other.values.size());
    // Sorted order pairs best with best: the spread is a range of plausible ratios, not per run.
    for (int i = 0; i < n; i++) {
      ratios.add(values.get(i) / other.values.get(i));
    }
    return new Samples(ratios);
  }

  /** The difference of two quantities per run pair, as samples: this - other. */
  Samples minus(Samples other) {
    List<Double> differences = new ArrayList<>();
    int n = Math.min(values.size(), other.values.size());
    // As in over(): sorted order pairs fastest with fastest, giving a range of plausible values.
    for (int i = 0; i < n; i++) {
      differences.add(values.get(i) - other.values.get(i));
    }
    return new Samples(differences);
  }

  /** Every sample times {@code factor} (bytes to megabytes, say). */
  Samples scaled(double factor) {
    return new Samples(values.stream().map(v -> v * factor).toList());
  }

  String format(String unit) {
    return "%s %s (%s–%s, n=%d)"
        .formatted(fmt(median()), unit, fmt(min()), fmt(max()), values.size());
  }

  static String fmt(double v) {
    double a = Math.abs(v);
    if (a >= 1000) {
      return "%,.0f".formatted(v);
    }
    if (a >= 100) {
      return "%.0f".formatted(v);
    }
    if (a >= 10) {
      return "%.1f".formatted(v);
    }
    return "%.2f".formatted(v);
  }
}
