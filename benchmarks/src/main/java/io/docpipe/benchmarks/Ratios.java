package io.docpipe.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** docpipe/baseline ratios with their goals, passed from each comparison's JVM to the suite. */
final class Ratios {

  private final List<String> names = new ArrayList<>();
  private final List<Double> medians = new ArrayList<>();
  private final List<Double> goals = new ArrayList<>();

  void add(String name, double median, double goal) {
    names.add(name);
    medians.add(median);
    goals.add(goal);
  }

  List<String> names() {
    return names;
  }

  List<Double> medians() {
    return medians;
  }

  List<Double> goals() {
    return goals;
  }

  void write(Path file) throws IOException {
    StringBuilder tsv = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      tsv.append(names.get(i))
          .append('\t')
          .append(medians.get(i))
          .append('\t')
          .append(goals.get(i))
          .append('\n');
    }
    Files.writeString(file, tsv.toString(), StandardCharsets.UTF_8);
  }

  static Ratios readAll(Path dir, List<String> benchmarks) throws IOException {
    Ratios all = new Ratios();
    for (String name : benchmarks) {
      for (String line :
          Files.readAllLines(dir.resolve(name + ".ratios"), StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        String[] f = line.split("\t");
        all.add(f[0], Double.parseDouble(f[1]), Double.parseDouble(f[2]));
      }
    }
    return all;
  }
}
