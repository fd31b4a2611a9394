package io.docpipe.harness;

import io.docpipe.core.model.DocumentId;
import io.docpipe.core.model.MediaTypes;
import io.docpipe.core.port.out.ExtractionException;
import io.docpipe.core.port.out.StrictText;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;

/**
 * The one corpus every runtime gets: a directory whose relative paths are the document ids, either
 * the user's or written here (the repository's {@code samples/} plus generated documents long
 * enough to need several chunks, so that chunk overlap shows in the index).
 */
final class Corpus {

  private static final String[] WORDS = {
    "index", "shard", "vector", "lambda", "fargate", "cluster", "resume", "checkpoint", "corpus",
    "search", "batch", "retry", "queue", "drain", "token", "chunk", "embedding", "latency",
    "bucket", "notification", "service", "worker", "payload", "overlap", "ranking", "query"
  };

  private Corpus() {}

  /**
   * One document of the corpus: its id (the relative path), the media type a client would declare
   * for it, and its text when it can travel inline (a text type, valid UTF-8); other documents are
   * sent by reference.
   */
  record Entry(String id, String mediaType, Optional<String> inlineText) {}

  /** Copies {@code samples} under {@code root} and adds {@code generated} documents there. */
  static List<Entry> write(Path root, Path samples, int generated, long seed) throws IOException {
    Files.createDirectories(root);
    copyTree(samples, root);
    generate(root, generated, seed);
    return entries(root);
  }

  /**
   * Writes {@code count} generated documents under {@code root/generated/}, Markdown, plain text
   * and HTML in turn, the same for the same seed.
   */
  static void generate(Path root, int count, long seed) throws IOException {
    Random random = new Random(seed);
    String[] extensions = {"md", "txt", "html"};
    String name = count > 1000 ? "note-%05d.%s" : "note-%03d.%s";
    for (int i = 0; i < count; i++) {
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
      Path file = root.resolve("generated").resolve(String.format(name, i, extension));
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    }
  }

  /**
   * Every regular file under {@code root} as an entry, in document id order (the order the listings
   * use); hidden files and directories are left out, as the file corpus leaves them out.
   */
  static List<Entry> entries(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("the corpus " + root + " is not a directory");
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String id = root.relativize(file).toString().replace('\\', '/');
        if (hidden(id)) {
          continue;
        }
        String mediaType = mediaType(id);
        entries.add(new Entry(id, mediaType, inlineText(mediaType, Files.readAllBytes(file))));
      }
    }
    entries.sort(Comparator.comparing(e -> DocumentId.of(e.id())));
    return List.copyOf(entries);
  }

  /** The file's extension, as the file adapters record it in metadata. */
  static String extension(String id) {
    String name = id.substring(id.lastIndexOf('/') + 1);
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String id = from.relativize(file).toString().replace('\\', '/');
        if (hidden(id)) {
          continue;
        }
        Path target = to.resolve(id);
        Files.createDirectories(target.getParent());
        Files.copy(file, target);
      }
    }
  }

  private static boolean hidden(String id) {
    for (String segment : id.split("/")) {
      if (segment.startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String mediaType(String id) {
    return switch (extension(id)) {
      case "md", "markdown" -> MediaTypes.MARKDOWN;
      case "html", "htm" -> MediaTypes.HTML;
      case "txt", "text" -> MediaTypes.TEXT_PLAIN;
      default -> MediaTypes.OCTET_STREAM;
    };
  }

  private static Optional<String> inlineText(String mediaType, byte[] bytes) {
    boolean byteOrderMark =
        bytes.length >= 3
            && bytes[0] == (byte) 0xef
            && bytes[1] == (byte) 0xbb
            && bytes[2] == (byte) 0xbf;
    // A byte order mark is the extractor's to strip: such a file travels by reference, as binaries
    // do.
    if (!mediaType.startsWith("text/") || byteOrderMark) {
      return Optional.empty();
    }
    try {
      return Optional.of(StrictText.decode(bytes, 0, StandardCharsets.UTF_8));
    } catch (ExtractionException e) {
      return Optional.empty();
    }
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
