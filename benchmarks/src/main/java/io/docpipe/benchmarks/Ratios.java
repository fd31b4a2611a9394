package io.docpipe.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Measured values with their goals, passed from each comparison's JVM to the suite. Most are
 * docpipe/baseline ratios that must reach their goal; some (an overhead in ms) must stay at or
 * below it.
 */
final class Ratios {

  /** One measured value and its goal. */
  record Entry(String name, double median, double goal, boolean atMost) {
    boolean met() {
      return atMost ? median <= goal : median >= goal;
    }

    /** How far from the goal, in words: "met" or e.g. "missed by 2.5×" / "missed by 120 ms". */
    String verdict(String unit) {
      if (met()) {
        return "met";
      }
      return atMost
          ? "missed by " + Samples.fmt(median - goal) + " " + unit
          : "missed by " + Samples.fmt(goal / median) + "×";
    }
  }

  private final List<Entry> entries = new ArrayList<>();

  /** A value that must reach {@code goal} (a ratio where more is better). */
  void add(String name, double median, double goal) {
    entries.add(new Entry(name, median, goal, false));
  }

  /** A value that must stay at or below {@code goal} (e.g. an overhead in milliseconds). */
  void addAtMost(String name, double median, double goal) {
    entries.add(new Entry(name, median, goal, true));
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }

  /** The ratios (more is better) only: what the ratios plot shows. */
  List<Entry> ratios() {
    return entries.stream().filter(e -> !e.atMost()).toList();
  }

  boolean anyMissed() {
    return entries.stream().anyMatch(e -> !e.met());
  }

  List<String> names() {
    return ratios().stream().map(Entry::name).toList();
  }

  List<Double> medians() {
    return ratios().stream().map(Entry::median).toList();
  }

  List<Double> goals() {
    return ratios().stream().map(Entry::goal).toList();
  }

  void write(Path file) throws IOException {
    StringBuilder tsv = new StringBuilder();
    for (Entry e : entries) {
      tsv.append(e.name())
          .append('\t')
          .append(e.median())
          .append('\t')
          .append(e.goal())
          .append('\t')
          .append(e.atMost() ? "at-most" : "at-least")
          .append('\n');
    }
    Files.writeString(file, tsv.toString(), StandardCharsets.UTF_8);
  }

  static Ratios read(Path file) throws IOException {
    Ratios all = new Ratios();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t");
      boolean atMost = f.length > 3 && f[3].equals("at-most");
      all.entries.add(new Entry(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]), atMost));
    }
    return all;
  }

  static Ratios readAll(Path dir, List<String> benchmarks) throws IOException {
    Ratios all = new Ratios();
    for (String name : benchmarks) {
      all.entries.addAll(read(dir.resolve(name + ".ratios")).entries);
    }
    return all;
  }
}
