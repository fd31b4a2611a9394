package io.docpipe.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Public retrieval data sets (BEIR) for tests that need real text at scale. Data sets never live in
 * the repository: a test names the one it needs, and finds it under the folder given by {@code
 * -Ddocpipe.datasets=DIR} (each data set in its own sub-folder, as BEIR unpacks them: {@code
 * DIR/scifact/corpus.jsonl}). Where it is absent the test is skipped with one line saying which
 * data set, where it was looked for and how to get it.
 */
public final class Datasets {

  /** The system property that names the folder holding the data sets. */
  public static final String PROPERTY = "docpipe.datasets";

  /** BEIR SciFact: 5,183 abstracts, 300 test queries; nDCG@10 is the published measure. */
  public static final Dataset SCIFACT =
      new Dataset(
          "scifact",
          "corpus.jsonl",
          "https://public.ukp.informatik.tu-darmstadt.de/thakur/BEIR/datasets/scifact.zip");

  private Datasets() {}

  /** A named data set: its folder name, a file that proves it is there, and where to get it. */
  public record Dataset(String name, String marker, String download) {}

  /** The data set's folder, or empty when {@code docpipe.datasets} is unset or lacks it. */
  public static Optional<Path> find(Dataset dataset) {
    String root = System.getProperty(PROPERTY, "");
    if (root.isBlank()) {
      return Optional.empty();
    }
    Path dir = Path.of(root).resolve(dataset.name());
    return Files.isRegularFile(dir.resolve(dataset.marker())) ? Optional.of(dir) : Optional.empty();
  }

  /** The data set's folder, or the calling test is skipped with the reason in one line. */
  public static Path require(Dataset dataset) {
    Optional<Path> dir = find(dataset);
    Assumptions.assumeTrue(dir.isPresent(), () -> absence(dataset));
    return dir.orElseThrow();
  }

  /** The one line a skipped test gives: which data set, where it was looked for, how to get it. */
  public static String absence(Dataset dataset) {
    String root = System.getProperty(PROPERTY, "");
    String where =
        root.isBlank()
            ? "-D" + PROPERTY + " is not set"
            : "not found at " + Path.of(root).resolve(dataset.name()).resolve(dataset.marker());
    return "data set "
        + dataset.name()
        + " absent ("
        + where
        + "): skipped; unzip "
        + dataset.download()
        + " into DIR and pass -D"
        + PROPERTY
        + "=DIR";
  }
}
