package io.docpipe.lucene;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;

/**
 * Measures BM25 nDCG@10 of each {@link LexicalAnalysis} on a BEIR dataset, one Lucene document per
 * corpus document (title + text): the measurement behind {@link LexicalAnalysis#CHOSEN}. Run with
 * {@code java -cp <test classpath> io.docpipe.lucene.LexicalAnalysisMeasurement DIR/scifact}.
 */
final class LexicalAnalysisMeasurement {

  private static final Pattern FIELD =
      Pattern.compile("\"(_id|title|text)\"\\s*:\\s*\"((?:[^\"\\\\]++|\\\\.)*+)\"");

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    Map<String, String> corpus = read(dir.resolve("corpus.jsonl"), true);
    Map<String, String> queries = read(dir.resolve("queries.jsonl"), false);
    Map<String, Map<String, Integer>> qrels = new LinkedHashMap<>();
    for (String line : Files.readAllLines(dir.resolve("qrels/test.tsv"))) {
      String[] f = line.split("\t");
      if (f.length == 3 && !f[0].equals("query-id")) {
        qrels.computeIfAbsent(f[0], q -> new HashMap<>()).put(f[1], Integer.parseInt(f[2]));
      }
    }
    for (LexicalAnalysis analysis : LexicalAnalysis.values()) {
      Analyzer analyzer = analysis.analyzer();
      try (ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
        try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig(analyzer))) {
          for (Map.Entry<String, String> doc : corpus.entrySet()) {
            Document d = new Document();
            d.add(new StoredField("id", doc.getKey()));
            d.add(new TextField("lexical", doc.getValue(), Field.Store.NO));
            writer.addDocument(d);
          }
        }
        try (DirectoryReader reader = DirectoryReader.open(directory)) {
          IndexSearcher searcher = new IndexSearcher(reader);
          double ndcg = 0;
          double recall100 = 0;
          for (Map.Entry<String, Map<String, Integer>> q : qrels.entrySet()) {
            BooleanQuery.Builder query = new BooleanQuery.Builder();
            for (String term :
                LexicalAnalysis.terms(analyzer, "lexical", queries.getOrDefault(q.getKey(), ""))) {
              query.add(new TermQuery(new Term("lexical", term)), BooleanClause.Occur.SHOULD);
            }
            List<String> ranked = new ArrayList<>();
            for (ScoreDoc hit : searcher.search(query.build(), 100).scoreDocs) {
              ranked.add(searcher.storedFields().document(hit.doc).get("id"));
            }
            ndcg += ndcgAt10(ranked, q.getValue());
            recall100 +=
                q.getValue().keySet().stream().filter(ranked::contains).count()
                    / (double) q.getValue().size();
          }
          System.out.printf(
              Locale.ROOT,
              "%-16s nDCG@10 %.5f  recall@100 %.5f%n",
              analysis.id(),
              ndcg / qrels.size(),
              recall100 / qrels.size());
        }
      }
    }
  }

  private static double ndcgAt10(List<String> ranked, Map<String, Integer> relevant) {
    double dcg = 0;
    for (int i = 0; i < Math.min(10, ranked.size()); i++) {
      dcg += relevant.getOrDefault(ranked.get(i), 0) / (Math.log(i + 2) / Math.log(2));
    }
    List<Integer> ideal = relevant.values().stream().sorted((a, b) -> b - a).toList();
    double idcg = 0;
    for (int i = 0; i < Math.min(10, ideal.size()); i++) {
      idcg += ideal.get(i) / (Math.log(i + 2) / Math.log(2));
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  private static Map<String, String> read(Path file, boolean withTitle) throws IOException {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      Map<String, String> fields = new HashMap<>();
      Matcher m = FIELD.matcher(line);
      while (m.find()) {
        fields.putIfAbsent(m.group(1), unescape(m.group(2)));
      }
      String text = fields.getOrDefault("text", "");
      if (withTitle) {
        text = (fields.getOrDefault("title", "") + " " + text).strip();
      }
      texts.put(fields.get("_id"), text);
    }
    return texts;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 == s.length()) {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return out.toString();
  }
}
