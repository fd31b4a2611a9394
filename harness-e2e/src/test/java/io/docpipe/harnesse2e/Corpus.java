package io.docpipe.harnesse2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The one corpus every runtime gets: the repository's {@code samples/} plus generated documents
 * long enough to need several chunks (so that chunk overlap shows in the index), written under one
 * root whose relative paths are the document ids.
 */
final class Corpus {

  private static final String[] WORDS = {
    "index", "shard", "vector", "lambda", "fargate", "cluster", "resume", "checkpoint", "corpus",
    "search", "batch", "retry", "queue", "drain", "token", "chunk", "embedding", "latency",
    "bucket", "notification", "service", "worker", "payload", "overlap", "ranking", "query"
  };

  private Corpus() {}

  /** One document as a client would send it inline: its id, media type and text. */
  record Entry(String id, String mediaType, String text) {}

  /** Copies {@code samples} under {@code root} and adds {@code generated} documents there. */
  static List<Entry> write(Path root, Path samples, int generated, long seed) throws IOException {
    Files.createDirectories(root);
    try (Stream<Path> files = Files.walk(samples)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Path target = root.resolve(samples.relativize(file).toString());
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
    Random random = new Random(seed);
    String[] extensions = {"md", "txt", "html"};
    for (int i = 0; i < generated; i++) {
      String extension = extensions[i % extensions.length];
      String body = paragraphs(random, 6 + random.nextInt(4));
      String text =
          extension.equals("html")
              ? "<html><head><title>Note "
                  + i
                  + "</title></head><body><h1>Note "
                  + i
                  + "</h1><p>"
                  + body.replace("\n\n", "</p><p>")
                  + "</p></body></html>\n"
              : (extension.equals("md") ? "# Note " + i + "\n\n" : "Note " + i + "\n\n") + body;
      Path file = root.resolve("generated").resolve(String.format("note-%03d.%s", i, extension));
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
    return entries(root);
  }

  /** Every file under {@code root} as an entry, ordered by id. */
  static List<Entry> entries(Path root) throws IOException {
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file :
          files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
        String id = root.relativize(file).toString().replace('\\', '/');
        entries.add(new Entry(id, mediaType(id), Files.readString(file, StandardCharsets.UTF_8)));
      }
    }
    return List.copyOf(entries);
  }

  /** The file's extension, as the file adapters record it in metadata. */
  static String extension(String id) {
    int dot = id.lastIndexOf('.');
    return id.substring(dot + 1);
  }

  private static String mediaType(String id) {
    return switch (extension(id)) {
      case "md" -> "text/markdown";
      case "html" -> "text/html";
      case "txt" -> "text/plain";
      default -> throw new IllegalArgumentException("no media type for " + id);
    };
  }

  /**
   * Paragraphs of one to six ten-word sentences. The chunker overlaps whole pieces (paragraphs
   * here), so short paragraphs are what lets the default overlap of 32 tokens show.
   */
  private static String paragraphs(Random random, int count) {
    StringBuilder text = new StringBuilder();
    for (int p = 0; p < count; p++) {
      int sentences = 1 + random.nextInt(6);
      for (int s = 0; s < sentences; s++) {
        String first = WORDS[random.nextInt(WORDS.length)];
        text.append(Character.toUpperCase(first.charAt(0))).append(first.substring(1));
        for (int w = 0; w < 9; w++) {
          text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
        }
        text.append(". ");
      }
      text.append("\n\n");
    }
    return text.toString().strip() + "\n";
  }
}
