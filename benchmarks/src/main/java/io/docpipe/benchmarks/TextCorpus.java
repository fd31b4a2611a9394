package io.docpipe.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Real prose for the benchmarks: SciFact's 5,183 abstracts (read in place from the data sets
 * folder), grouped into documents of a target size and repeated to reach a total size.
 * Deterministic.
 */
final class TextCorpus {

  private final List<String> abstracts;

  private TextCorpus(List<String> abstracts) {
    this.abstracts = abstracts;
  }

  static TextCorpus scifact(Path datasets) {
    Path corpus = datasets.resolve("scifact/corpus.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<String> texts = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode doc = json.readTree(line);
        texts.add(doc.path("title").asText() + "\n\n" + doc.path("text").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read "
              + corpus
              + " (benchmarks/run --datasets DIR names the folder holding BEIR's scifact/)",
          e);
    }
    return new TextCorpus(List.copyOf(texts));
  }

  /** Abstracts one by one (titles included), e.g. as search queries' sources. */
  List<String> abstracts() {
    return abstracts;
  }

  /**
   * Documents of about {@code documentChars} characters (whole abstracts joined by blank lines)
   * until {@code totalChars}; abstracts are reused in order when the corpus runs out.
   */
  List<String> documents(int documentChars, long totalChars) {
    List<String> documents = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    long total = 0;
    int next = 0;
    while (total < totalChars) {
      String a = abstracts.get(next++ % abstracts.size());
      if (!current.isEmpty()) {
        current.append("\n\n");
      }
      current.append(a);
      if (current.length() >= documentChars) {
        total += current.length();
        documents.add(current.toString());
        current.setLength(0);
      }
    }
    return documents;
  }

  /**
   * Writes {@code count} documents of about 3,000 characters as {@code doc-00000.txt}… into {@code
   * folder} (created), the corpus a batch job reads.
   */
  Path writeFolder(Path folder, int count) throws IOException {
    Files.createDirectories(folder);
    List<String> texts = documents(1_500, 3_000L * count);
    for (int i = 0; i < count; i++) {
      Files.writeString(
          folder.resolve("doc-%05d.txt".formatted(i)), texts.get(i), StandardCharsets.UTF_8);
    }
    return folder;
  }

  static long chars(List<String> documents) {
    return documents.stream().mapToLong(String::length).sum();
  }

  static long utf8Bytes(List<String> documents) {
    return documents.stream().mapToLong(d -> d.getBytes(StandardCharsets.UTF_8).length).sum();
  }
}
