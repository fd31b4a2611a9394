package io.docpipe.onnx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docpipe.testkit.Datasets;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/** Fixed texts the model and tokenizer are checked against independent implementations with. */
final class ReferenceTexts {

  private ReferenceTexts() {}

  /** Varied sentences, each well under 128 word pieces. */
  static final List<String> SENTENCES =
      List.of(
          "Hi",
          "OK.",
          "The quick brown fox jumps over the lazy dog.",
          "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG!",
          "Where is the nearest train station?",
          "How do I reset my password?",
          "What are the steps to change my login password?",
          "Vector databases index embeddings for approximate nearest-neighbour search.",
          "Crème brûlée, jalapeño, naïve café, Ångström, façade, résumé — déjà vu.",
          "Zürich und München liegen nicht weit voneinander entfernt; Straße, Größe, Übung.",
          "¿Dónde está la biblioteca? ¡Está allí!",
          "Ça va? Oui, très bien, merci beaucoup.",
          "東京は日本の首都です。",
          "我爱北京天安门，天安门上太阳升。",
          "한국어 문장도 토큰화할 수 있습니다.",
          "Привет, как дела? Всё хорошо.",
          "Η γρήγορη καφέ αλεπού πηδάει πάνω από τον τεμπέλη σκύλο.",
          "مرحبا بالعالم",
          "नमस्ते दुनिया, आप कैसे हैं?",
          "Prices rose 3.75% to $1,234.56 on 2024-03-15 at 09:30 UTC (≈ €1.1k).",
          "Call +1 (555) 010-9999 or email support@example.com before 5pm.",
          "The answer is 42; π ≈ 3.14159, e ≈ 2.71828, and √2 ≈ 1.41421.",
          "I love this! 😀🎉👍 Best. Day. Ever. 🚀",
          "Family: 👨‍👩‍👧‍👦 and flags 🇩🇪🇫🇷 and hearts ❤️💙.",
          "Well... that's \"interesting\", isn't it? (Or is it?) [citation needed] {braces} <tags>",
          "snake_case, camelCaseWords, kebab-case-words, SCREAMING_CASE and dot.separated.names",
          "Email me at jane.doe+news@mail.example.org or visit https://example.com/a/b?c=d&e=f#frag",
          "Supercalifragilisticexpialidocious antidisestablishmentarianism pneumonoultramicroscopic",
          "iPhone, eBay, McDonald's, O'Reilly, LaTeX and JavaScript are MiXeD CaSe names.",
          "Tabs\tand\nnewlines\r\nand   multiple   spaces   everywhere.",
          "Non\u00a0breaking\u2003em\u2009thin spaces and a zero\u200bwidth joiner.",
          "The patient received 5 mg/kg of drug X-123 b.i.d.; IL-6 and TNF-α levels fell by 40%.",
          "Mutations in BRCA1/BRCA2 increase risk of breast and ovarian cancer (OR = 2.3, p < 0.001).",
          "Photosynthesis converts light energy into chemical energy stored in glucose molecules.",
          "The mitochondrion is the powerhouse of the cell, producing ATP through oxidative"
              + " phosphorylation, a process that relies on an electron transport chain embedded in"
              + " the inner membrane and on a proton gradient that drives ATP synthase.",
          "In 1969, Apollo 11 landed on the Moon: Neil Armstrong and Buzz Aldrin walked on the"
              + " surface while Michael Collins orbited above in the command module Columbia,"
              + " returning safely to Earth after eight days, having collected 21.5 kg of lunar"
              + " samples and left behind a plaque, a flag and several scientific instruments for"
              + " later study by geologists and physicists around the world.",
          "Embedding models map sentences and paragraphs to dense vectors in a high-dimensional"
              + " space, so that texts with similar meanings lie close together. Retrieval systems"
              + " index these vectors and, at query time, embed the question and look for its"
              + " nearest neighbours, which is why the quality of the embedding model matters as"
              + " much as the index; chunk size, overlap, tokenization and normalization all"
              + " affect the result, and so does the choice of distance: cosine, dot product or"
              + " Euclidean.",
          "[MASK] tokens like [CLS] and [SEP] inside text, a[MASK]b, and [UNK]nown [PAD]ding.");

  /**
   * The first {@code limit} SciFact documents as "title text", or empty when the data set is not
   * under {@code -Ddocpipe.datasets} ({@link Datasets}).
   */
  static Optional<List<String>> scifactDocuments(int limit) {
    Optional<Path> dir = Datasets.find(Datasets.SCIFACT);
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    Path corpus = dir.get().resolve("corpus.jsonl");
    ObjectMapper json = new ObjectMapper();
    List<String> documents = new ArrayList<>();
    try (Stream<String> lines = Files.lines(corpus)) {
      for (String line : (Iterable<String>) lines.limit(limit)::iterator) {
        JsonNode node = json.readTree(line);
        documents.add(node.path("title").asText() + "\n" + node.path("text").asText());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.of(documents);
  }
}
