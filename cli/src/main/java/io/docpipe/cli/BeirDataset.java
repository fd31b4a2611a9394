package io.docpipe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A dataset in BEIR's layout: {@code corpus.jsonl} ({@code _id}, {@code title}, {@code text}),
 * {@code queries.jsonl} ({@code _id}, {@code text}) and {@code qrels/<split>.tsv} ({@code query-id,
 * corpus-id, score} with a header line).
 */
final class BeirDataset {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path dir;

  BeirDataset(Path dir) {
    if (!Files.isRegularFile(dir.resolve("corpus.jsonl"))
        || !Files.isRegularFile(dir.resolve("queries.jsonl"))) {
      throw new IllegalArgumentException(
          dir + " is not a BEIR dataset: corpus.jsonl and queries.jsonl are required");
    }
    this.dir = dir;
  }

  /**
   * Streams the corpus as (id, title + " " + text stripped), the text BEIR's dense retrievers
   * embed.
   */
  void forEachDocument(BiConsumer<String, String> consumer) {
    try (BufferedReader in =
        Files.newBufferedReader(dir.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = JSON.readTree(line);
        String title = node.path("title").asText("");
        String text = node.path("text").asText("");
        consumer.accept(node.get("_id").asText(), (title + " " + text).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("corpus.jsonl"), e);
    }
  }

  /** How many documents {@link #forEachDocument} will stream: the corpus's non-blank lines. */
  long documentCount() {
    try (java.util.stream.Stream<String> lines =
        Files.lines(dir.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      return lines.filter(line -> !line.isBlank()).count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("corpus.jsonl"), e);
    } catch (UncheckedIOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("corpus.jsonl"), e.getCause());
    }
  }

  /** All queries by id. */
  Map<String, String> queries() {
    Map<String, String> queries = new LinkedHashMap<>();
    try (BufferedReader in =
        Files.newBufferedReader(dir.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
      String line;
      while ((line = in.readLine()) != null) {
        if (!line.isBlank()) {
          JsonNode node = JSON.readTree(line);
          queries.put(node.get("_id").asText(), node.get("text").asText());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + dir.resolve("queries.jsonl"), e);
    }
    return queries;
  }

  /** Relevance judgments of a split: query id → (document id → grade); grades ≤ 0 dropped. */
  Map<String, Map<String, Integer>> qrels(String split) {
    Path file = dir.resolve("qrels").resolve(split + ".tsv");
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line = in.readLine(); // header
      while ((line = in.readLine()) != null) {
        line = line.strip();
        if (line.isEmpty()) {
          continue;
        }
        String[] cols = line.split("\t");
        if (cols.length < 3) {
          throw new IllegalArgumentException(
              file + ": expected query-id<TAB>corpus-id<TAB>score, got '" + line + "'");
        }
        int grade = Integer.parseInt(cols[2].strip());
        if (grade > 0) {
          qrels
              .computeIfAbsent(cols[0].strip(), q -> new LinkedHashMap<>())
              .put(cols[1].strip(), grade);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    return qrels;
  }
}
