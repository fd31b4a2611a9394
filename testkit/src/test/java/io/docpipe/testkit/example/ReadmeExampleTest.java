package io.docpipe.testkit.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's worked example is this package's code, so it compiles and passes its kit. */
class ReadmeExampleTest {

  private static final Path HERE = Path.of("src/test/java/io/docpipe/testkit/example");

  @Test
  void theReadmeExample_isTheCodeOfThisPackage() throws IOException {
    String readme =
        Files.readString(
            Path.of(System.getProperty("basedir", ".")).resolve("../README.md"),
            StandardCharsets.UTF_8);
    int section = readme.indexOf("## Write your own adapter");
    assertThat(section).as("the README's contract kit section").isNotNegative();
    int start = readme.indexOf("```java\n", section) + "```java\n".length();
    int end = readme.indexOf("```", start);

    List<String> expected = new ArrayList<>();
    expected.addAll(classBody(HERE.resolve("InMemoryCheckpointStore.java")));
    expected.addAll(classBody(HERE.resolve("InMemoryCheckpointStoreTest.java")));

    assertThat(nonBlank(List.of(readme.substring(start, end).split("\n")))).isEqualTo(expected);
  }

  /** The lines from the class declaration on, without blank lines. */
  private static List<String> classBody(Path source) throws IOException {
    List<String> lines =
        Files.readAllLines(
            Path.of(System.getProperty("basedir", ".")).resolve(source), StandardCharsets.UTF_8);
    int from = 0;
    while (from < lines.size() && !lines.get(from).matches("(public )?(final )?class .*")) {
      from++;
    }
    return nonBlank(lines.subList(from, lines.size()));
  }

  private static List<String> nonBlank(List<String> lines) {
    return lines.stream().filter(line -> !line.isBlank()).toList();
  }
}
